/**
 * Reads buckets (location, policy, ownership controls, default encryption, public access block, CORS) and writes them
 * as `AWS::S3::Bucket` and `AWS::S3::BucketPolicy` resources, each in the stack of the bucket's own region.
 *
 * Internal: not exported from the package's index.
 */
import type {
  GetBucketCorsOutput, GetBucketEncryptionOutput, GetBucketLocationOutput, GetBucketOwnershipControlsOutput,
  GetBucketPolicyOutput, GetPublicAccessBlockOutput,
} from '@aws-sdk/client-s3';
import { LiveStackBuilder, parsePolicy, policyWithRefs, ref } from './builder';
import { LiveCaller } from './sdk';

/** The key a bucket is emitted under (references to it use the same key). */
export function bucketKey(name: string): string {
  return `s3://${name}`;
}

/** `LocationConstraint` as a region: empty means us-east-1, `EU` the old name of eu-west-1. */
export function regionOfLocation(location: string | undefined): string {
  if (!location) return 'us-east-1';
  return location === 'EU' ? 'eu-west-1' : location;
}

/** Reads each bucket and emits it into the stack of its region (`stackFor`). */
export async function readBuckets(
  call: LiveCaller, names: readonly string[], region: string, stackFor: (region: string) => LiveStackBuilder,
): Promise<void> {
  for (const name of names) await readBucket(call, name, region, stackFor);
}

async function readBucket(
  call: LiveCaller, name: string, region: string, stackFor: (region: string) => LiveStackBuilder,
): Promise<void> {
  const s3 = call.modules.s3;
  const Bucket = name;
  const location = await call.send<GetBucketLocationOutput>('s3', new s3.GetBucketLocationCommand({ Bucket }),
    `the region of bucket ${name} is unknown; it is taken as ${region}`, ['NoSuchBucket']);
  if (!location.ok && !location.denied) {
    call.note(`bucket ${name} does not exist: it is left out`);
    return;
  }
  const bucketRegion = location.ok ? regionOfLocation(location.value.LocationConstraint) : region;
  if (bucketRegion !== region) {
    call.note(`bucket ${name} is in ${bucketRegion}, not ${region}: an S3 endpoint in ${region} does not reach it `
      + '(S3PA-RegionMismatch judges the workloads granted on it)');
  }

  const policy = await call.send<GetBucketPolicyOutput>('s3', new s3.GetBucketPolicyCommand({ Bucket }),
    `the policy of bucket ${name} is unknown, so the bucket is left out and judged as a bucket outside the account`,
    ['NoSuchBucketPolicy', 'NoSuchBucket']);
  if (!policy.ok && policy.denied) return;
  const ownership = await call.send<GetBucketOwnershipControlsOutput>('s3',
    new s3.GetBucketOwnershipControlsCommand({ Bucket }),
    `the object ownership of bucket ${name} is unknown, so ACL use on it is not judged`, ['OwnershipControlsNotFoundError']);
  const encryption = await call.send<GetBucketEncryptionOutput>('s3', new s3.GetBucketEncryptionCommand({ Bucket }),
    `the default encryption of bucket ${name} is unknown, so KMS grants for it are not judged`,
    ['ServerSideEncryptionConfigurationNotFoundError']);
  const block = await call.send<GetPublicAccessBlockOutput>('s3', new s3.GetPublicAccessBlockCommand({ Bucket }),
    `the public access block of bucket ${name} is unknown, so it is not judged`, ['NoSuchPublicAccessBlockConfiguration']);
  // browsers call a bucket with CORS rules from outside the VPC (S3PA-PresignedOutsideVpc)
  const cors = await call.send<GetBucketCorsOutput>('s3', new s3.GetBucketCorsCommand({ Bucket }),
    `the CORS configuration of bucket ${name} is unknown, so browser access from outside the VPC is not judged`,
    ['NoSuchCORSConfiguration']);

  const b = stackFor(bucketRegion);
  const key = bucketKey(name);
  const rules = encryption.ok ? encryption.value.ServerSideEncryptionConfiguration?.Rules ?? [] : [];
  b.add(key, 'AWS::S3::Bucket', {
    BucketName: name,
    OwnershipControls: ownership.ok && ownership.value.OwnershipControls?.Rules
      ? { Rules: ownership.value.OwnershipControls.Rules.map(r => ({ ObjectOwnership: r.ObjectOwnership })) }
      : undefined,
    BucketEncryption: rules.length > 0 ? {
      ServerSideEncryptionConfiguration: rules.map(r => ({
        ServerSideEncryptionByDefault: r.ApplyServerSideEncryptionByDefault ? {
          SSEAlgorithm: r.ApplyServerSideEncryptionByDefault.SSEAlgorithm,
          KMSMasterKeyID: r.ApplyServerSideEncryptionByDefault.KMSMasterKeyID,
        } : undefined,
        BucketKeyEnabled: r.BucketKeyEnabled,
      })),
    } : undefined,
    PublicAccessBlockConfiguration: block.ok ? block.value.PublicAccessBlockConfiguration : undefined,
    CorsConfiguration: cors.ok && cors.value.CORSRules?.length ? {
      CorsRules: cors.value.CORSRules.map(r => ({
        AllowedMethods: r.AllowedMethods,
        AllowedOrigins: r.AllowedOrigins,
        AllowedHeaders: r.AllowedHeaders,
        ExposedHeaders: r.ExposeHeaders,
        MaxAge: r.MaxAgeSeconds,
        Id: r.ID,
      })),
    } : undefined,
  }, `bucket/${name}`, `Bucket${name}`);
  const document = policy.ok ? parsePolicy(policy.value.Policy) : undefined;
  if (document !== undefined) {
    b.add(`${key}/policy`, 'AWS::S3::BucketPolicy', { Bucket: ref(key, name), PolicyDocument: policyWithRefs(document) },
      `bucket/${name}/policy`, `BucketPolicy${name}`);
  }
}
