import { Reporter, Rule } from './rule';
import { privateBlockOf } from '../model/addresses';
import { bucketLabel, s3PathOf, workloadsByPolicy, workloadsGrantedOn } from '../model/bucket-reach';
import type { Model } from '../model/model';
import {
  conditionValue, ConditionEntry, coversS3, effectOf, entriesOn, PolicyDoc, policyDocuments, shown, statementsOfDoc,
} from '../model/policy-conditions';
import { WorkloadNode } from '../model/types';

/**
 * S3PA-SourceIpPrivate: `aws:SourceIp` holds a request's public address. A request from a VPC through an S3
 * endpoint has no public address: its private one is in `aws:VpcSourceIp`, and `aws:SourceIp` never matches it.
 */
export const sourceIpPrivate: Rule = {
  id: 'S3PA-SourceIpPrivate',
  level: 'error',
  symptom: 'Requests from the VPC get 403: aws:SourceIp never matches a private address.',
  description: 'A bucket or identity policy compares aws:SourceIp with private ranges (RFC 1918 10/8, 172.16/12, '
    + '192.168/16; RFC 6598 100.64/10): requests through a gateway endpoint carry private source addresses that '
    + 'aws:SourceIp never sees. Any aws:SourceIp allow-list on a bucket that a workload reaches through an S3 endpoint '
    + 'gets a warning, since that workload\'s requests match no public address either.',
  fix: 'Use aws:VpcSourceIp together with aws:SourceVpc, or aws:SourceVpce, instead of aws:SourceIp',
  appliesWhen: 'A bucket or identity policy compares aws:SourceIp with private ranges: requests through an S3 endpoint carry their '
    + 'private address in aws:VpcSourceIp, so such a condition never matches them (error). Any aws:SourceIp allow-list on '
    + 'a bucket that a workload reaches through an endpoint is a warning.',
  guard: 'Public ranges are left alone; the private blocks are the one list the routing rules use too.',
  hops: ['bucket-policy'],
  check(m: Model, report: Reporter): void {
    const workloadsOfPolicy = workloadsByPolicy(m);
    for (const p of policyDocuments(m, ['bucket', 'identity'])) {
      for (const st of statementsOfDoc(p.document)) {
        if (p.kind === 'identity' && !coversS3(st)) continue;
        for (const entry of entriesOn(st, 'aws:SourceIp')) {
          if (entry.base === 'Null') continue;
          const privateRanges = checkEntry(m, report, p, entry);
          if (privateRanges === 0 && isAllowList(st, entry)) allowListWarning(m, report, p, entry, workloadsOfPolicy);
        }
      }
    }
  },
};

/** Reports private ranges and unresolved values of one entry; returns how many private ranges it names. */
function checkEntry(m: Model, report: Reporter, p: PolicyDoc, entry: ConditionEntry): number {
  const hits: string[] = [];
  for (const value of entry.values) {
    const v = conditionValue(m, p.res, value);
    if (v.kind === 'unknown') {
      report.cannotJudge(p.res, `the aws:SourceIp value ${v.what} of ${p.res.path}`);
      continue;
    }
    if (v.kind !== 'literal') continue;
    const range = privateBlockOf(v.text);
    if (range) hits.push(range === v.text ? v.text : `${shown(v.text)} (in ${range})`);
  }
  if (hits.length > 0) {
    report.fail(p.res, `policy ${p.res.path} compares aws:SourceIp (${entry.operator}) with the private range${hits.length > 1 ? 's' : ''} ${hits.join(', ')}: `
      + 'requests from a VPC through an S3 endpoint carry their private address in aws:VpcSourceIp, never in aws:SourceIp');
  }
  return hits.length;
}

/** An Allow that requires the address (`IpAddress`), or a Deny of every other address (`NotIpAddress`). */
function isAllowList(st: any, entry: ConditionEntry): boolean {
  const effect = effectOf(st);
  return (effect === 'allow' && entry.base === 'IpAddress') || (effect === 'deny' && entry.base === 'NotIpAddress');
}

function allowListWarning(m: Model, report: Reporter, p: PolicyDoc, entry: ConditionEntry, workloadsOfPolicy: Map<string, WorkloadNode[]>): void {
  const workloads = p.kind === 'bucket' ? (p.bucket ? workloadsGrantedOn(m, p.bucket) : []) : workloadsOfPolicy.get(p.res.key) ?? [];
  const reached: string[] = [];
  for (const w of workloads) {
    const path = s3PathOf(m, w);
    const eps = [...path.gateway, ...path.interface];
    if (eps.length > 0) reached.push(`${w.res.path} (through ${eps.map(ep => ep.res.path).join(', ')})`);
  }
  if (reached.length === 0) return;
  const subject = p.kind === 'bucket' && p.bucket ? `the aws:SourceIp allow-list (${entry.operator}) of ${bucketLabel(p.bucket)}` : `the aws:SourceIp allow-list (${entry.operator}) of ${p.res.path}`;
  report.warn(p.res, `${subject} does not match ${reached.join(', ')}: requests through an S3 endpoint carry no public source address`);
}
