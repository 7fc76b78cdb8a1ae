import { App, Errors, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { S3PrivateAccess } from '../../lib';
import { constructError, errorWith } from '../../lib/private/errors';

/*
 * The construct's errors name the construct they are about, as aws-cdk-lib's own do: the message is ours, the path
 * rides on the error (`constructPath`, and the stack the CDK CLI prints), on the floor and the newest aws-cdk-lib.
 */

function caught(fn: () => unknown): Error & { constructPath?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error & { constructPath?: string };
  }
  throw new Error('expected an error');
}

function vpcOf(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
}

test('a bad prop of S3PrivateAccess throws an error that names the construct path, with the message unchanged', () => {
  // GIVEN
  const stack = new Stack(new App(), 'Stack');
  const vpc = vpcOf(stack);

  // WHEN
  const error = caught(() => new S3PrivateAccess(stack, 'S3', { vpc, keepNaclCidrsCurrent: true }));

  // THEN
  expect(error.message).toMatch(/^keepNaclCidrsCurrent is set but networkAcls is empty: pass the network ACLs/);
  expect(error.constructPath).toBe('Stack/S3');
  expect(error.stack).toContain('Relates to construct');
});

test('an error of a piece under the construct names that piece', () => {
  // GIVEN
  const stack = new Stack(new App(), 'Stack');
  const vpc = vpcOf(stack);

  // WHEN
  const error = caught(() => new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [new ec2.NetworkAcl(stack, 'Acl', { vpc })], naclRuleNumberBase: 0 }));

  // THEN
  expect(error.message).toBe('naclRuleNumberBase is 0: pass an integer from 1 to 32766');
  expect(error.constructPath).toBe('Stack/S3/NaclEntries');
});

test('an error of a shared validator names the construct that passed the value', () => {
  // GIVEN
  const stack = new Stack(new App(), 'Stack');
  const vpc = vpcOf(stack);

  // WHEN
  const error = caught(() => new S3PrivateAccess(stack, 'S3', { vpc, exemptPrincipalArns: ['*'] }));

  // THEN
  expect(error.message).toBe("exempt principal '*' matches any principal: use arn:<partition>:iam::<account-id>:role/<name>");
  expect(error.constructPath).toBe('Stack/S3');
});

test("the error is aws-cdk-lib's ValidationError where aws-cdk-lib exports it", () => {
  // GIVEN
  const scope = new Construct(new Stack(new App(), 'Stack'), 'Scope');

  // WHEN
  const error = constructError('bad thing: do this', scope);

  // THEN
  expect(Errors.isValidationError(error)).toBe(true);
  expect(error.message).toBe('bad thing: do this');
});

test('without a ValidationError the fallback carries the path the same way', () => {
  // GIVEN
  const scope = new Construct(new Stack(new App(), 'Stack'), 'Scope');

  // WHEN
  const error = errorWith(undefined, 'bad thing: do this', scope) as Error & { constructPath?: string };

  // THEN
  expect(error).toBeInstanceOf(Error);
  expect(error.message).toBe('bad thing: do this');
  expect(error.constructPath).toBe('Stack/Scope');
  expect(error.stack).toContain('Relates to construct:\n    Stack/Scope');
});
