import { explainTemplates } from '../../lib/diagnostics/explain';
import { hybridS3Endpoints, interfaceOnlyVpc } from '../corpus/apps-endpoints';
import { templatesOf } from '../corpus/corpus';

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

describe('explainPath with the interface-endpoint and gateway-route rules', () => {
  test('GIVEN two S3 gateway endpoints on the function\'s route tables THEN the route table hop fails with S3PA-DuplicateGatewayRoute', () => {
    const stacks = templatesOf(hybridS3Endpoints.build('second-gateway-endpoint'));
    const e = explainTemplates(stacks, { from: 'Hybrid/Ingest', bucket: 'Hybrid/Data' });
    expect(e.firstFailure).toMatchObject({ name: 'route-table', ruleId: 'S3PA-DuplicateGatewayRoute', fix: expect.stringMatching(/keep one S3 gateway endpoint per VPC/) });
  });

  test('GIVEN the bucket policy requires only the interface endpoint THEN the bucket policy hop fails with S3PA-InterfaceVpceRequired', () => {
    const stacks = templatesOf(hybridS3Endpoints.build('interface-vpce-only'));
    const e = explainTemplates(stacks, { from: 'Hybrid/Ingest', bucket: 'Hybrid/Data' });
    expect(e.firstFailure).toMatchObject({ name: 'bucket-policy', ruleId: 'S3PA-InterfaceVpceRequired' });
  });

  test('GIVEN the only S3 endpoint is an interface endpoint without private DNS THEN the DNS hop fails first with S3PA-InterfacePrivateDns', () => {
    const stacks = templatesOf(interfaceOnlyVpc.build('no-private-dns'));
    const e = explainTemplates(stacks, { from: 'InterfaceOnly/Reader', bucket: 'InterfaceOnly/Data' });
    expect(e.firstFailure).toMatchObject({ name: 'dns', ruleId: 'S3PA-InterfacePrivateDns', fix: expect.stringMatching(/set PrivateDnsEnabled/) });
  });

  test('GIVEN the interface endpoint with private DNS THEN no hop fails, and the route hop names the interface endpoint', () => {
    const stacks = templatesOf(interfaceOnlyVpc.build());
    const e = explainTemplates(stacks, { from: 'InterfaceOnly/Reader', bucket: 'InterfaceOnly/Data' });
    expect(e.firstFailure).toBeUndefined();
    expect(e.hops.find(h => h.name === 's3-route')!.evidence.join('\n')).toMatch(/resolve to the private addresses of S3 interface endpoint InterfaceOnly\/Vpc\/S3\/Resource/);
  });
});
