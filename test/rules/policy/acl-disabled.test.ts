import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { aclDisabled } from '../../../lib/rules/policy/acl-disabled';
import { envStack, findingsOf, summary } from '../../helpers/checks';

function role(stack: ReturnType<typeof envStack>): iam.Role {
  return new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}

describe('S3PA-AclDisabled', () => {
  test('warns when a role is granted s3:PutObjectAcl on a bucket with ACLs disabled', () => {
    // GIVEN
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Data', { objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED });
    bucket.grantPutAcl(role(stack));

    // WHEN
    const findings = summary(findingsOf(stack, aclDisabled));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Role/DefaultPolicy/Resource' })]);
    expect(findings[0].message).toMatch(/role Stack\/Role\/Resource is granted s3:PutObjectAcl on .* but bucket Stack\/Data\/Resource has ACLs disabled \(ObjectOwnership BucketOwnerEnforced\)/);
  });

  test('is quiet for the s3:PutObjectAcl grant aws-cdk-lib gives a pipeline\'s connection source (GitHub through CodeConnections)', () => {
    // GIVEN: a pipeline whose artifact bucket has ACLs disabled (no OwnershipControls), sourced from GitHub
    const stack = envStack();
    const source = new codepipeline.Artifact();
    new codepipeline.Pipeline(stack, 'Pipeline', {
      stages: [
        {
          stageName: 'Source',
          actions: [new actions.CodeStarConnectionsSourceAction({
            actionName: 'GitHub',
            owner: 'octo',
            repo: 'app',
            output: source,
            connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/0a1b2c3d-0000-0000-0000-000000000000',
          })],
        },
        { stageName: 'Approve', actions: [new actions.ManualApprovalAction({ actionName: 'Approve' })] },
      ],
    });

    // WHEN
    const findings = summary(findingsOf(stack, aclDisabled));

    // THEN
    expect(findings).toEqual([]);
  });

  test('warns for a role granted s3:PutObjectAcl on a bucket with ACLs disabled when it uses no connection', () => {
    // GIVEN: the same grant without codestar-connections:UseConnection beside it
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Artifacts');
    const r = role(stack);
    bucket.grantPutAcl(r);
    r.addToPolicy(new iam.PolicyStatement({ actions: ['codecommit:GitPull'], resources: ['*'] }));

    // WHEN
    const findings = summary(findingsOf(stack, aclDisabled));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Role/DefaultPolicy/Resource' })]);
  });

  test('warns when a bucket deployment sets an ACL on a bucket with ACLs disabled', () => {
    // GIVEN
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Site', { objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED });
    new s3deploy.BucketDeployment(stack, 'Deploy', {
      destinationBucket: bucket, sources: [s3deploy.Source.data('index.html', '<html></html>')], accessControl: s3.BucketAccessControl.PUBLIC_READ,
    });

    // WHEN
    const findings = summary(findingsOf(stack, aclDisabled)).filter(f => f.path.startsWith('Stack/Deploy/'));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Deploy/CustomResource/Default' })]);
    expect(findings[0].message).toContain('writes objects with ACL public-read to bucket Stack/Site/Resource');
  });

  test('warns for an L1 bucket that sets AccessControl without OwnershipControls', () => {
    // GIVEN: S3 applies BucketOwnerEnforced to new buckets by default
    const stack = envStack();
    new s3.CfnBucket(stack, 'Logs', { accessControl: 'LogDeliveryWrite' });

    // WHEN
    const findings = summary(findingsOf(stack, aclDisabled));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Logs' })]);
    expect(findings[0].message).toContain('sets AccessControl LogDeliveryWrite while ACLs are disabled (no OwnershipControls');
  });

  test('is quiet when ACLs are enabled with ObjectWriter ownership', () => {
    // GIVEN
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Data', { objectOwnership: s3.ObjectOwnership.OBJECT_WRITER });
    bucket.grantPutAcl(role(stack));

    // WHEN / THEN
    expect(findingsOf(stack, aclDisabled)).toEqual([]);
  });

  test('is quiet for grants without ACL actions on a bucket with ACLs disabled', () => {
    // GIVEN
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Data', { objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED });
    bucket.grantReadWrite(role(stack));

    // WHEN / THEN
    expect(findingsOf(stack, aclDisabled)).toEqual([]);
  });

  test('cannot judge an ACL grant on a bucket outside the app', () => {
    // GIVEN
    const stack = envStack();
    s3.Bucket.fromBucketName(stack, 'Shared', 'shared-bucket').grantPutAcl(role(stack));

    // WHEN
    const findings = summary(findingsOf(stack, aclDisabled));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Role/DefaultPolicy/Resource' })]);
    expect(findings[0].message).toMatch(/^cannot judge: whether bucket shared-bucket \(not defined in the app\) accepts ACLs/);
  });
});
