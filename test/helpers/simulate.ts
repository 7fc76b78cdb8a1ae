import { runSimulation, Simulation } from '@cloud-copilot/iam-simulate';

/** What IAM decides for one request. */
export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** One request with every policy that takes part in its evaluation. */
export interface SimulatedRequest {
  /** the caller: an IAM role ARN or a service principal (`cloudtrail.amazonaws.com`) */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** the account that owns the resource */
  readonly resourceAccount: string;
  readonly identityPolicies?: unknown[];
  readonly bucketPolicy?: unknown;
  /** present only for requests that pass through the S3 gateway endpoint */
  readonly endpointPolicy?: unknown;
  /** request context keys beyond the principal's own (`aws:SourceVpce`, `s3:prefix`, `aws:ViaAWSService`) */
  readonly context?: Record<string, string | string[]>;
}

/** A full-access identity policy, as an administrator or CloudFormation's execution role has. */
export const ADMIN_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** Evaluates a request with @cloud-copilot/iam-simulate (strict mode: the context is taken as complete). */
export async function decide(request: SimulatedRequest): Promise<Decision> {
  const isService = !request.principal.startsWith('arn:');
  const principalContext: Record<string, string> = isService
    ? { 'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': request.principal }
    : {
      'aws:PrincipalArn': request.principal,
      'aws:PrincipalAccount': request.principal.split(':')[4],
      'aws:PrincipalIsAWSService': 'false',
    };
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: { ...principalContext, ...request.context },
    },
    identityPolicies: (request.identityPolicies ?? []).map((policy, i) => ({ name: `identity${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.bucketPolicy,
    vpcEndpointPolicies: request.endpointPolicy ? [{ name: 's3-endpoint', policy: request.endpointPolicy }] : undefined,
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    throw new Error(JSON.stringify(result.errors));
  }
  return result.overallResult as Decision;
}
