import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { envBoundStack } from './s3pa-fixtures';
import { BucketOwnerPolicy, S3PrivateAccess, S3PrivateAccessProps } from '../../lib';
import { NaclCidrUpdater } from '../../lib/network/nacl-cidr-updater';

/**
 * Every error the library throws for bad input (lib/policy, lib/endpoint, lib/network, lib/checks and the construct;
 * lib/model and lib/rules throw nothing that reaches users, the NACL updater's Lambda runtime code runs in AWS), with
 * the exact message or a precise pattern. Every message must start lowercase, show the bad value, say what to do,
 * and end without a period. Rows marked "internal guard" cannot be reached through the public API (an earlier check
 * catches the input); they are called directly so their messages meet the same bar.
 */

export const ACCOUNT = '111111111111';
export const ADMIN = `arn:aws:iam::${ACCOUNT}:role/admin`;

export function isolatedVpc(stack: Stack): ec2.Vpc {
  return isolatedVpcNamed(stack, 'Vpc');
}

export function isolatedVpcNamed(stack: Stack, id: string): ec2.Vpc {
  return new ec2.Vpc(stack, id, {
    maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

/** S3PrivateAccess in a fresh env-bound stack with an isolated VPC; `props` may use the stack. */
export function construct(props: (stack: Stack, vpc: ec2.Vpc) => Partial<S3PrivateAccessProps>, env = true): () => void {
  return () => {
    const stack = env ? envBoundStack().stack : new Stack(new App(), 'Stack');
    const vpc = isolatedVpc(stack);
    new S3PrivateAccess(stack, 'S3', { vpc, ...props(stack, vpc) });
  };
}

export function inRegion(region: string, props: (stack: Stack, vpc: ec2.Vpc) => Partial<S3PrivateAccessProps>): () => void {
  return () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region } });
    const vpc = isolatedVpc(stack);
    new S3PrivateAccess(stack, 'S3', { vpc, ...props(stack, vpc) });
  };
}

export function withBucket(fn: (stack: Stack, bucket: s3.Bucket) => void, bucketProps: s3.BucketProps = {}): () => void {
  return () => {
    const { stack } = envBoundStack();
    fn(stack, new s3.Bucket(stack, 'Data', bucketProps));
  };
}

export function grant(prefix: string): () => void {
  return withBucket((stack, bucket) => {
    const access = new S3PrivateAccess(stack, 'S3', { vpc: isolatedVpc(stack) });
    access.grantRead(new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }), bucket, { prefix });
  });
}

export function ownerDocument(overrides: Record<string, unknown>): () => void {
  return () => BucketOwnerPolicy.document({
    bucketName: 'partner-data',
    endpointIds: ['vpce-0123456789abcdef0'],
    workloadRoleArns: [ADMIN.replace('admin', 'reader')],
    adminPrincipalArns: [ADMIN],
    ...overrides,
  });
}

export function updater(props: Record<string, unknown>, region = 'eu-west-1'): () => void {
  return () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region } });
    const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc: isolatedVpc(stack) });
    new NaclCidrUpdater(stack, 'Updater', { networkAcls: [acl], ...props });
  };
}

/** One bad input and the error it must raise. */
export interface Row {
  readonly name: string;
  readonly act: () => unknown;
  /** the full message, or a pattern anchored at both ends */
  readonly message: string | RegExp;
  /** the bad value the message must show (omitted when the fault is a missing value) */
  readonly shows?: string;
}

function thrown(act: () => unknown): Error {
  try {
    act();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}

/** The three checks every row passes: the exact message, its form, the bad value and what to do. */
export function describeBadInput(title: string, rows: Row[]): void {
  describe(`bad input: ${title}`, () => {
    test.each(rows)('$name', ({ act, message }) => {
      const error = thrown(act);
      if (typeof message === 'string') {
        expect(error.message).toBe(message);
      } else {
        expect(error.message).toMatch(message);
      }
    });

    test.each(rows)('$name: the library\'s Error, lowercase first, no trailing period, no undefined or [object Object]', ({ act }) => {
      const error = thrown(act);
      expect({
        // a plain Error, or the construct's error that names its construct (aws-cdk-lib's ValidationError)
        libraryError: error.constructor === Error || error.name === 'S3PrivateAccessValidation',
        lowercaseFirst: /^[a-z]/.test(error.message),
        trailingPeriod: /\.\s*$/.test(error.message),
        undefined: /undefined|\[object Object\]|NaN/.test(error.message),
      }).toEqual({ libraryError: true, lowercaseFirst: true, trailingPeriod: false, undefined: false });
    });

    test.each(rows)('$name: shows the bad value and says what to do', ({ act, shows }) => {
      const error = thrown(act);
      const advice = error.message.slice(error.message.indexOf(':') + 1);
      expect({
        showsValue: shows === undefined || error.message.includes(shows),
        saysWhatToDo: /\b(pass|use|set|select|name|omit|drop|give|import|request|leave|upgrade|report|keep|apply|create|deploy|must be|known ids are)\b/.test(advice),
      }).toEqual({ showsValue: true, saysWhatToDo: true });
    });
  });
}
