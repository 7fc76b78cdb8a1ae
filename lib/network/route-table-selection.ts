import { Annotations, Stack, Token } from 'aws-cdk-lib';
import { ISubnet, IVpc, SubnetSelection, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { constructError } from '../private/errors';

/**
 * The subnets and route tables that private access to S3 is set up for.
 */
export interface SelectedRouteTables {
  /** the selected subnets, without duplicates */
  readonly subnets: ISubnet[];
  /** the route-table ids of those subnets, without duplicates */
  readonly routeTableIds: string[];
}

/**
 * Selects the private subnets of `vpc` and their route tables.
 *
 * Default: every PRIVATE_WITH_EGRESS and PRIVATE_ISOLATED subnet, never public ones (unlike the CDK's
 * `GatewayVpcEndpoint` default). Throws when a selection yields a public subnet, or when nothing yields a route table.
 */
export function selectPrivateRouteTables(scope: IConstruct, vpc: IVpc, selections?: SubnetSelection[]): SelectedRouteTables {
  const subnets = dedupe(selections === undefined
    ? [...vpc.privateSubnets, ...vpc.isolatedSubnets]
    : selections.flatMap((selection) => selectedSubnets(scope, vpc, selection)));

  const publicIds = new Set(vpc.publicSubnets.map((s) => key(scope, s.subnetId)));
  const publicOnes = subnets.filter((s) => publicIds.has(key(scope, s.subnetId)));
  if (publicOnes.length > 0) {
    throw constructError(`subnets selects public subnets (${publicOnes.map((s) => describe(s)).join(', ')}): ` +
      'a gateway endpoint route in a public route table sends S3 traffic of every public subnet through the endpoint; ' +
      'select only PRIVATE_WITH_EGRESS or PRIVATE_ISOLATED subnets, e.g. `[{ subnetType: SubnetType.PRIVATE_ISOLATED }]`', scope);
  }

  const withoutRouteTable = subnets.filter((s) => !s.routeTable?.routeTableId);
  const routeTableIds = dedupeStrings(scope, subnets
    .map((s) => s.routeTable?.routeTableId)
    .filter((id): id is string => id !== undefined && id !== ''));
  if (routeTableIds.length === 0) {
    const what = subnets.length === 0
      ? `the vpc ${describeVpc(vpc)} has no private or isolated subnets in the selection`
      : `no route table is known for subnets ${subnets.map((s) => describe(s)).join(', ')}`;
    throw constructError(`no route table selected: ${what}; select private or isolated subnets with \`subnets\`, ` +
      'or import the vpc with its route-table ids (`privateSubnetRouteTableIds` / `isolatedSubnetRouteTableIds` in ' +
      '`Vpc.fromVpcAttributes`, or `Vpc.fromLookup`)', scope);
  }
  if (withoutRouteTable.length > 0) {
    Annotations.of(scope).addWarningV2('cdk-s3-private-access:routeTableUnknown',
      `no route table is known for subnets ${withoutRouteTable.map((s) => describe(s)).join(', ')}: ` +
      'they do not get a route to the S3 gateway endpoint; import the vpc with its route-table ids');
  }
  return { subnets, routeTableIds };
}

function selectedSubnets(scope: IConstruct, vpc: IVpc, selection: SubnetSelection): ISubnet[] {
  if (selection.subnetType === SubnetType.PUBLIC) {
    throw constructError('subnets selects subnetType PUBLIC: a gateway endpoint route in a public route table sends S3 ' +
      'traffic of every public subnet through the endpoint; select PRIVATE_WITH_EGRESS or PRIVATE_ISOLATED subnets', scope);
  }
  try {
    return vpc.selectSubnets(selection).subnets;
  } catch (e) {
    // CDK's own error (a group or type the vpc lacks) would reach the user without saying which prop is wrong
    throw constructError(`subnets selects ${describeSelection(selection)}, which the vpc ${describeVpc(vpc)} cannot satisfy ` +
      `(${(e as Error).message}): select subnet groups or types that the vpc has`, scope);
  }
}

function describeSelection(selection: SubnetSelection): string {
  const parts = [
    selection.subnetType !== undefined ? `subnetType ${selection.subnetType}` : undefined,
    selection.subnetGroupName !== undefined ? `subnetGroupName '${selection.subnetGroupName}'` : undefined,
    selection.availabilityZones !== undefined ? `availabilityZones ${selection.availabilityZones.join(', ')}` : undefined,
  ].filter((x): x is string => x !== undefined);
  return parts.length > 0 ? parts.join(' and ') : 'a subnet selection';
}

function dedupe(subnets: ISubnet[]): ISubnet[] {
  const seen = new Set<string>();
  return subnets.filter((s) => {
    const k = s.subnetId;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function dedupeStrings(scope: IConstruct, ids: string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => {
    const k = key(scope, id);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A comparable form of a value that may be a token: its resolved JSON within the scope's stack. */
function key(scope: IConstruct, value: string): string {
  return Token.isUnresolved(value) ? JSON.stringify(Stack.of(scope).resolve(value)) : value;
}

function describe(subnet: ISubnet): string {
  return Token.isUnresolved(subnet.subnetId) ? subnet.node.path : subnet.subnetId;
}

function describeVpc(vpc: IVpc): string {
  return Token.isUnresolved(vpc.vpcId) ? vpc.node.path : vpc.vpcId;
}
