/**
 * Reads the account's S3 access points of the region (S3 Control `ListAccessPoints`) and writes them as
 * `AWS::S3::AccessPoint` resources: their bucket (a reference when the bucket was read), their name, and their VPC
 * network origin (a reference to the VPC when it was read, so the rules compare VPCs, not ids).
 *
 * Internal: not exported from the package's index.
 */
import { bucketKey } from './buckets';
import { LiveStackBuilder, ref } from './builder';
import { LiveCaller, OPTIONAL_PACKAGES } from './sdk';

/** One access point as `ListAccessPoints` describes it (the fields read here). */
interface AccessPointShape {
  readonly Name?: string;
  readonly NetworkOrigin?: string;
  readonly VpcConfiguration?: { readonly VpcId?: string };
  readonly Bucket?: string;
  readonly AccessPointArn?: string;
}

/** Reads every access point of the account in the client's region. */
export async function readAccessPoints(call: LiveCaller, b: LiveStackBuilder, account: string | undefined): Promise<void> {
  const s3control = call.modules.s3control;
  if (!s3control || !call.client('s3control')) {
    call.note(`S3 access points are not read: reading them needs ${OPTIONAL_PACKAGES.s3control} (npm install it), so `
      + 'S3PA-AccessPointVpcOrigin does not judge them');
    return;
  }
  if (!account) {
    call.note('S3 access points are not read: the account id is unknown (no VPC or role was read)');
    return;
  }
  const points: AccessPointShape[] = [];
  let NextToken: string | undefined;
  do {
    const r = await call.send<{ AccessPointList?: AccessPointShape[]; NextToken?: string }>('s3control',
      new s3control.ListAccessPointsCommand({ AccountId: account, ...(NextToken ? { NextToken } : {}) }),
      'the account\'s S3 access points are unknown, so S3PA-AccessPointVpcOrigin does not judge them');
    if (!r.ok) return;
    points.push(...r.value.AccessPointList ?? []);
    NextToken = r.value.NextToken;
  } while (NextToken);
  for (const ap of points) {
    if (!ap.Name || !ap.Bucket) continue;
    const vpcId = ap.NetworkOrigin === 'VPC' ? ap.VpcConfiguration?.VpcId : undefined;
    b.add(ap.AccessPointArn ?? `accesspoint/${ap.Name}`, 'AWS::S3::AccessPoint', {
      Bucket: ref(bucketKey(ap.Bucket), ap.Bucket),
      Name: ap.Name,
      VpcConfiguration: vpcId ? { VpcId: ref(vpcId) } : undefined,
    }, `accesspoint/${ap.Name}`, `AccessPoint${ap.Name}`);
  }
}
