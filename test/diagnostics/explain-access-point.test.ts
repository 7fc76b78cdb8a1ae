import { explainTemplates } from '../../lib/diagnostics/explain';
import { hybridS3Endpoints } from '../corpus/apps-endpoints';
import { templatesOf } from '../corpus/corpus';

/** explain with `--bucket` naming an access point: the request addresses the access point's ARN. */
describe('explainPath through an access point', () => {
  test('GIVEN a reader in the access point\'s VPC THEN no hop fails, and the request names the access point\'s object ARN', () => {
    // GIVEN
    const stacks = templatesOf(hybridS3Endpoints.build());

    // WHEN
    const e = explainTemplates(stacks, { from: 'Hybrid/Reporter', bucket: 'Hybrid/Reports' });

    // THEN
    expect(e.bucket).toBe('access point Hybrid/Reports');
    expect(e.resource).toBe('arn:aws:s3:eu-west-1:111111111111:accesspoint/reports/object/reports/s3pa-probe');
    expect(e.firstFailure).toBeUndefined();
  });

  test('GIVEN a reader in another VPC THEN the bucket policy hop fails first with S3PA-AccessPointVpcOrigin', () => {
    // GIVEN
    const stacks = templatesOf(hybridS3Endpoints.build('access-point-other-vpc'));

    // WHEN
    const e = explainTemplates(stacks, { from: 'Hybrid/Reporter', bucket: 'reports' });

    // THEN
    expect(e.firstFailure).toMatchObject({ name: 'bucket-policy', ruleId: 'S3PA-AccessPointVpcOrigin' });
    expect(e.firstFailure!.evidence.join('\n')).toContain('[S3PA-AccessPointVpcOrigin] Hybrid/Reporter/Resource is granted s3:GetObject on access point Hybrid/Reports, whose network origin is VPC Hybrid/Vpc/Resource');
    expect(e.hops.filter(h => h.verdict === 'fail').map(h => h.name)).toEqual(['bucket-policy']);
  });
});
