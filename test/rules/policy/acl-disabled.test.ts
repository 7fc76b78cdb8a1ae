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
