import { Reporter, Rule } from './rule';
import { bucketSymName, roleGrantedOn } from '../model/bucket-reach';
import { evaluatePolicy, IamRequest } from '../model/iam';
import type { Model } from '../model/model';
import { listOf } from '../model/network';
import { conditionEntries, ConditionEntry, effectOf, statementsOfDoc } from '../model/policy-conditions';
import { BucketNode, BucketPolicyNode, ExternalBucketRef, isUnknown, ModelResource } from '../model/types';

const NETWORK_KEYS = new Set(['aws:sourcevpce', 'aws:sourcevpc']);

/** Who a network Deny must leave alone, and how each is simulated (a request from outside the VPC). */
interface RequestClass {
  readonly label: string;
  /** The exemption that lets this class through. */
  readonly exemption: string;
  request(action: string, resource: string): IamRequest;
}

/**
 * S3PA-Lockout: a bucket-policy Deny of requests that do not come through the VPC endpoint (or VPC) also denies
 * admins, the CloudFormation deploy role, AWS service principals and requests AWS services make for a principal,
 * unless it exempts them. The stack then cannot update or delete the bucket policy, CDK custom resources fail, and
 * only the account's root user can repair the policy.
 *
 * The Deny is evaluated with the IAM evaluator for each class of caller outside the VPC.
 */
export const lockout: Rule = {
  id: 'S3PA-Lockout',
  level: 'error',
  symptom: 'The console, CloudFormation, CDK custom resources and AWS services get 403; stack updates and deletion fail.',
  description: 'A bucket-policy Deny conditioned on aws:SourceVpce or aws:SourceVpc (StringNotEquals, StringNotLike, '
    + '...IfExists, Null) has no exemptions for admins and the deploy role (aws:PrincipalArn with ArnNotLike), for AWS '
    + 'service principals (aws:PrincipalIsAWSService false) and for requests AWS services make for a principal '
    + '(aws:ViaAWSService false). It is worse when the app has custom resources or Lambda functions outside the VPC '
    + 'that touch the bucket (autoDeleteObjects, BucketDeployment).',
  fix: 'Add exemptions to the Deny: ArnNotLike aws:PrincipalArn (the deploy role and admins), BoolIfExists aws:PrincipalIsAWSService "false" '
    + 'and aws:ViaAWSService "false" (LockoutSafeDeny / S3PrivateAccess write them)',
  appliesWhen: 'A bucket-policy Deny of requests that do not come through the endpoint (or VPC) also denies the deploy role, '
    + 'admins, AWS service principals, requests AWS services make for a principal, or the app\'s own callers outside the '
    + 'VPC: stack updates and deletion fail, and only the root user can repair the policy (error).',
  guard: 'Each class of caller is simulated against the statement with the IAM evaluator, so exemptions written any supported '
    + 'way count (ArnNotLike, BoolIfExists, ...IfExists); exemptions that stay unresolved give a warning.',
  hops: [],
  check(m: Model, report: Reporter): void {
    for (const p of m.bucketPolicies) {
      const bucket = isUnknown(p.bucket) ? undefined : p.bucket;
      const statements = statementsOfDoc(p.document);
      statements.forEach((raw, i) => {
        if (effectOf(raw) !== 'deny') return;
        const network = conditionEntries(raw).filter(e => NETWORK_KEYS.has(e.keyLower) && deniesOutside(e));
        if (network.length === 0) return;
        checkStatement(m, report, p, bucket, raw, i, network);
      });
    }
  },
};

/** A negated comparison (absent key: true, so requests from outside are denied) or `Null: true`. */
function deniesOutside(e: ConditionEntry): boolean {
  if (e.base === 'Null') return e.values.some(v => String(v).toLowerCase() === 'true');
  return e.negated && e.setOperator !== 'ForAnyValue';
}

function checkStatement(
  m: Model, report: Reporter, p: BucketPolicyNode, bucket: BucketNode | ExternalBucketRef | undefined, raw: any, index: number,
  network: ConditionEntry[],
): void {
  const doc = { Version: '2012-10-17', Statement: [m.symDoc(p.res, raw)] };
  const bucketName = bucket ? bucketSymName(m, bucket) : symBucketOfPolicy(m, p);
  const bucketArn = `arn:${p.res.stack.partition}:s3:::${bucketName}`;
  const targets: Array<[string, string]> = [
    ['s3:PutBucketPolicy', bucketArn], ['s3:DeleteBucketPolicy', bucketArn], ['s3:ListBucket', bucketArn],
    ['s3:GetObject', `${bucketArn}/key`], ['s3:PutObject', `${bucketArn}/key`], ['s3:DeleteObject', `${bucketArn}/key`],
  ];
  const lockedOut: string[] = [];
  const unsure: string[] = [];
  for (const cls of requestClasses(m, p.res, raw)) {
    let denied: string | undefined;
    let maybe = false;
    for (const [action, resource] of targets) {
      const result = evaluatePolicy(doc, cls.request(action, resource));
      if (result.optimisticDecision === 'deny') {
        denied = action;
        break;
      }
      if (result.decision === 'deny') maybe = true;
    }
    if (denied) lockedOut.push(`${cls.label} (${denied} is denied; exempt them with ${cls.exemption})`);
    else if (maybe) unsure.push(cls.label);
  }
  // the app's own callers outside the VPC, each simulated with its role
  const callers = outsideCallers(m, bucket);
  const deniedCallers: string[] = [];
  for (const c of callers) {
    if (!c.roleArn) continue;
    const denied = [...targets.slice(3), targets[2]].find(([action, resource]) => evaluatePolicy(doc, {
      action, resource, principalArn: c.roleArn, context: { 'aws:ViaAWSService': 'false', 'aws:PrincipalIsAWSService': 'false' },
    }).optimisticDecision === 'deny');
    if (denied) deniedCallers.push(`${c.label} (${denied[0]} is denied for its role)`);
  }
  const name = typeof raw.Sid === 'string' ? `statement ${raw.Sid}` : `statement ${index + 1}`;
  const keys = network.map(e => `${e.key} (${e.operator})`).join(', ');
  if (lockedOut.length === 0 && deniedCallers.length === 0) {
    if (unsure.length > 0) {
      report.cannotJudge(p.res, `whether ${name} of ${p.res.path} (deny unless ${keys}) locks out ${unsure.join(', ')}: it depends on unresolved values`, { subjects: bucketSubjects(bucket) });
    }
    return;
  }
  let message = `${name} of ${p.res.path} denies requests without ${keys}`;
  if (lockedOut.length > 0) message += ` and locks out ${lockedOut.join(', ')}`;
  if (deniedCallers.length > 0) {
    message += `; it also denies the app's ${deniedCallers.join(', ')}, which run outside the VPC: exempt their roles with ArnNotLike aws:PrincipalArn`;
  } else if (callers.length > 0) {
    message += `; the app's ${callers.map(c => c.label).join(', ')} run outside the VPC and will get 403`;
  }
  report.fail(p.res, message, { subjects: bucketSubjects(bucket) });
}

function requestClasses(m: Model, res: ModelResource, raw: any): RequestClass[] {
  const stack = res.stack;
  const partition = stack.partition;
  const account = stack.account ?? '{{AWS::AccountId}}';
  const region = stack.region ?? '{{AWS::Region}}';
  const deployRole = `arn:${partition}:iam::${account}:role/cdk-hnb659fds-cfn-exec-role-${account}-${region}`;
  const exempted = exemptedPrincipal(m, res, raw);
  const admin = exempted ?? deployRole;
  const workloadRole = `arn:${partition}:iam::${account}:role/workload-role`;
  return [
    {
      label: exempted ? `the exempted principal ${exempted}` : `admins and the deploy role (e.g. ${deployRole})`,
      exemption: exempted ? 'ArnNotLike (not ArnLike/StringEquals) on aws:PrincipalArn' : 'ArnNotLike aws:PrincipalArn',
      request: (action, resource) => ({
        action,
        resource,
        principalArn: admin,
        context: { 'aws:ViaAWSService': 'false', 'aws:PrincipalIsAWSService': 'false' },
      }),
    },
    {
      label: 'AWS service principals (CloudTrail, log delivery, replication)',
      exemption: 'BoolIfExists aws:PrincipalIsAWSService "false"',
      request: (action, resource) => ({
        action,
        resource,
        principal: { service: 'cloudtrail.amazonaws.com' },
        context: { 'aws:PrincipalIsAWSService': 'true', 'aws:SourceAccount': account },
      }),
    },
    {
      label: 'requests AWS services make for a principal (Athena, SSE-KMS, forward access sessions)',
      exemption: 'BoolIfExists aws:ViaAWSService "false"',
      request: (action, resource) => ({
        action,
        resource,
        principalArn: workloadRole,
        context: { 'aws:ViaAWSService': 'true', 'aws:PrincipalIsAWSService': 'false' },
      }),
    },
  ];
}

/**
 * The first principal the statement exempts through aws:PrincipalArn (wildcards made concrete), so the simulation
 * checks that the exemption really lets it through; undefined when there is no such exemption.
 */
function exemptedPrincipal(m: Model, res: ModelResource, raw: any): string | undefined {
  for (const e of conditionEntries(raw)) {
    if (e.keyLower !== 'aws:principalarn') continue;
    for (const v of e.values) {
      const text = m.sym(res, v);
      if (typeof text === 'string' && text.startsWith('arn:')) return text.replace(/\*/g, 'x').replace(/\?/g, 'x');
    }
  }
  return undefined;
}

/** The bucket name a policy of an unknown bucket names, kept symbolic (it only has to match its own statements). */
function symBucketOfPolicy(m: Model, p: BucketPolicyNode): string {
  return m.sym(p.res, p.res.props.Bucket);
}

/** A caller of the app that runs outside the VPC: a custom resource's provider or a VPC-less Lambda function. */
interface OutsideCaller {
  readonly label: string;
  /** The ARN of the role it runs as, kept symbolic (`{{Stack/Role.Arn}}`), when the role is in the app. */
  readonly roleArn?: string;
}

/** A custom resource or VPC-less Lambda function of the app, read once per model (see {@link outsideCallers}). */
interface CallerCandidate extends OutsideCaller {
  /** Whether it touches the bucket. */
  touches(bucket: BucketNode | ExternalBucketRef): boolean;
}

const CANDIDATES = new WeakMap<Model, CallerCandidate[]>();

/** Custom resources and VPC-less Lambda functions of the app that touch the bucket. */
function outsideCallers(m: Model, bucket: BucketNode | ExternalBucketRef | undefined): OutsideCaller[] {
  if (!bucket) return [];
  // every Deny statement asks: read the app's candidates once, not once per statement
  let candidates = CANDIDATES.get(m);
  if (!candidates) {
    candidates = callerCandidates(m);
    CANDIDATES.set(m, candidates);
  }
  return candidates.filter(c => c.touches(bucket)).map(({ label, roleArn }) => ({ label, roleArn }));
}

function callerCandidates(m: Model): CallerCandidate[] {
  const out: CallerCandidate[] = [];
  const roleArnOf = (fn: ModelResource | undefined) =>
    fn?.type === 'AWS::Lambda::Function' && fn.props.Role !== undefined && m.target(fn, fn.props.Role) ? m.sym(fn, fn.props.Role) : undefined;
  for (const res of m.resources) {
    if (!res.type.startsWith('Custom::') && res.type !== 'AWS::CloudFormation::CustomResource') continue;
    const mentioned = mentions(m, res, res.props);
    out.push({
      label: `custom resource ${res.type} ${res.path}`,
      roleArn: roleArnOf(m.target(res, res.props.ServiceToken)),
      touches: bucket => ('res' in bucket ? mentioned.refs.has(bucket.res.key) : false)
        || mentioned.strings.has(('name' in bucket ? bucket.name : bucket.bucketName) as any),
    });
  }
  for (const fn of m.ofType('AWS::Lambda::Function')) {
    if (listOf(fn.props.VpcConfig?.SubnetIds).length > 0) continue;
    const role = m.role(m.target(fn, fn.props.Role));
    if (!role) continue;
    out.push({ label: `Lambda function ${fn.path} (no VPC)`, roleArn: roleArnOf(fn), touches: bucket => roleGrantedOn(m, role, bucket) });
  }
  return out;
}

/**
 * The references (resource keys) and literal strings in a resource's properties, so a bucket is found by its
 * reference or its literal name; a reference is not looked into.
 */
function mentions(m: Model, res: ModelResource, props: any): { refs: Set<string>; strings: Set<string> } {
  const refs = new Set<string>();
  const strings = new Set<string>();
  const visit = (value: any, depth: number): void => {
    if (depth > 6 || value === null || value === undefined) return;
    if (typeof value === 'string') {
      strings.add(value);
    } else if (Array.isArray(value)) {
      value.forEach(v => visit(v, depth + 1));
    } else if (typeof value === 'object') {
      const target = m.target(res, value);
      if (target) refs.add(target.key);
      else Object.values(value).forEach(v => visit(v, depth + 1));
    }
  };
  visit(props, 0);
  return { refs, strings };
}

function bucketSubjects(bucket: BucketNode | ExternalBucketRef | undefined): { buckets?: string[] } {
  if (!bucket) return {};
  return { buckets: ['res' in bucket ? bucket.res.key : `external:${bucket.name}`] };
}
