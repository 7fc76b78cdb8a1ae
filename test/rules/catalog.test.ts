import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES } from '../../lib/rules/all';
import { renderRulesMarkdown } from '../../lib/rules/catalog-doc';

// The catalog (../shared/RULES.md) pinned: a rule cannot vanish or change level silently.
const CATALOG: Array<[string, 'error' | 'warning']> = [
  ['S3PA-RouteNotAssociated', 'error'],
  ['S3PA-NoEndpoint', 'error'],
  ['S3PA-RouteOverride', 'error'],
  ['S3PA-SgEgress', 'error'],
  ['S3PA-PrefixListLiteral', 'warning'],
  ['S3PA-NaclOutbound', 'error'],
  ['S3PA-NaclEphemeral', 'error'],
  ['S3PA-DnsSupport', 'error'],
  ['S3PA-CustomDns', 'warning'],
  ['S3PA-RegionMismatch', 'error'],
  ['S3PA-EndpointPolicyDenies', 'error'],
  ['S3PA-EndpointPolicyAwsBuckets', 'error'],
  ['S3PA-EndpointPolicyPrincipal', 'error'],
  ['S3PA-SourceVpceValue', 'error'],
  ['S3PA-SourceVpcValue', 'error'],
  ['S3PA-SourceIpPrivate', 'error'],
  ['S3PA-Lockout', 'error'],
  ['S3PA-DuplicateBucketPolicy', 'error'],
  ['S3PA-ListBucketArn', 'error'],
  ['S3PA-MissingGrant', 'error'],
  ['S3PA-KmsGrant', 'error'],
  ['S3PA-AclDisabled', 'warning'],
  ['S3PA-PublicPolicyBlocked', 'error'],
  ['S3PA-Transitive', 'error'],
  ['S3PA-EcsNetworkMode', 'warning'],
  ['S3PA-PrivateEcr', 'error'],
  ['S3PA-NoPublicIp', 'warning'],
  ['S3PA-ProxyEnv', 'error'],
  ['S3PA-Ipv6Only', 'error'],
  ['S3PA-ExpressEndpoint', 'error'],
  ['S3PA-ImdsHopLimit', 'warning'],
];

describe('the rule catalog', () => {
  test('every catalog rule exists with its level, in catalog order', () => {
    expect(ALL_RULES.map(r => [r.id, r.level])).toEqual(CATALOG);
  });

  test('every rule carries a symptom, a description and a fix, and an id cdk-nag can acknowledge', () => {
    for (const rule of ALL_RULES) {
      expect(rule.id).toMatch(/^S3PA-[A-Za-z0-9]+$/);
      expect(rule.symptom.length).toBeGreaterThan(5);
      expect(rule.description.length).toBeGreaterThan(20);
      expect(rule.fix.length).toBeGreaterThan(5);
    }
  });

  test('every rule file in lib/rules is registered', () => {
    const dir = path.join(__dirname, '..', '..', 'lib', 'rules');
    const declared = fs.readdirSync(dir)
      .filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .flatMap(f => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/id: '(S3PA-[A-Za-z0-9]+)'/g)].map(m => m[1]));
    expect(new Set(declared)).toEqual(new Set(ALL_RULES.map(r => r.id)));
  });

  test('RULES.md is generated from the rule files and up to date (run `npx projen rules-doc`)', () => {
    const file = fs.readFileSync(path.join(__dirname, '..', '..', 'RULES.md'), 'utf8');
    expect(file).toEqual(renderRulesMarkdown(ALL_RULES));
  });
});
