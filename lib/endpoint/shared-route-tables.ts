import { Stage } from 'aws-cdk-lib';
import { IVpc } from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { AppEndpoints, appEndpoints, containsId, describeId, routeTableIdsOf, s3GatewayEndpointsIn } from './vpc-s3-endpoints';

/**
 * The synth-time check that no selected route table gets its S3 gateway endpoint route from two places, done for
 * every binding of a stage in one walk of the app: each check alone walks the whole app, which made the validation of
 * an app with N `S3PrivateAccess` constructs cost N walks (quadratic in the app's size).
 *
 * Internal: not exported from the package's index.
 */

/** A construct's endpoint binding: its VPC and the route tables it routes to the endpoint. */
interface RoutedBinding {
  readonly scope: IConstruct;
  readonly vpc: IVpc;
  readonly routeTableIds: string[];
}

/** The bindings of a stage (the validation pass of `synth` covers one stage), and the errors its last pass found. */
interface StageBindings {
  readonly bindings: RoutedBinding[];
  errors: Map<IConstruct, string[]>;
}

const STAGES = new WeakMap<IConstruct, StageBindings>();

/**
 * Adds the check to the binding's construct. The stage's own validation, which synthesis runs before its constructs'
 * (validation visits the tree in pre-order), walks the app once and computes every binding's errors; each construct
 * takes its own. A construct validated without that pass (`node.validate()` called by hand) walks the app itself.
 */
export function validateSharedRouteTables(scope: IConstruct, vpc: IVpc, routeTableIds: string[]): void {
  const binding: RoutedBinding = { scope, vpc, routeTableIds };
  const stage = stageBindingsOf(scope);
  stage.bindings.push(binding);
  scope.node.addValidation({
    validate: () => {
      const computed = stage.errors.get(scope);
      if (computed === undefined) {
        return sharedRouteTableErrors(binding, appEndpoints(scope));
      }
      stage.errors.delete(scope);
      return computed;
    },
  });
}

function stageBindingsOf(scope: IConstruct): StageBindings {
  const host: IConstruct = Stage.of(scope) ?? scope.node.root;
  const known = STAGES.get(host);
  if (known) {
    return known;
  }
  const stage: StageBindings = { bindings: [], errors: new Map() };
  STAGES.set(host, stage);
  host.node.addValidation({
    validate: () => {
      const walk = appEndpoints(host);
      stage.errors = new Map(stage.bindings.map((b) => [b.scope, sharedRouteTableErrors(b, walk)]));
      return [];
    },
  });
  return stage;
}

/**
 * The selected route tables that two S3 gateway endpoints of the app would serve (an endpoint added to the VPC after
 * the construct, or an adopted endpoint another construct associates), which CloudFormation cannot deploy.
 */
function sharedRouteTableErrors(binding: RoutedBinding, walk: AppEndpoints): string[] {
  const { scope, vpc, routeTableIds } = binding;
  const endpoints = s3GatewayEndpointsIn(walk.endpoints, vpc);
  const errors: string[] = [];
  for (const rt of routeTableIds) {
    const serving = [
      ...endpoints.filter((cfn) => containsId(cfn, routeTableIdsOf(cfn) ?? [], scope, rt)).map((cfn) => cfn.node.path),
      ...walk.associations.filter((a) => containsId(a, a.routeTableIds, scope, rt)).map((a) => `${a.node.path} (an adopted endpoint)`),
    ];
    if (serving.length > 1) {
      errors.push(`route table ${describeId(scope, rt)} would get its S3 gateway endpoint route from ${serving.length} ` +
        `places (${serving.join(', ')}), but a route table holds one route per prefix list and the deployment would fail: ` +
        'define the VPC\'s S3 endpoint before S3PrivateAccess so that it is reused, or pass it with EndpointSource.fromExisting(...)');
    }
  }
  return errors;
}
