import { Aspects } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { FAULTS } from '../../examples/example-stack';
import { S3PrivateAccessChecks } from '../../lib';
import { exampleApp } from '../helpers/example';

// Each fault the example app can plant, the rule that must catch it, and where.
const EXPECTED: Record<string, { rule: string; path: string }> = {
  'route-not-associated': { rule: 'S3PA-RouteNotAssociated', path: '/S3PrivateAccessExample/Worker/Resource' },
  'source-ip-private': { rule: 'S3PA-SourceIpPrivate', path: '/S3PrivateAccessExample/Data/Policy/Resource' },
  'nacl-ephemeral': { rule: 'S3PA-NaclEphemeral', path: '*' },
  'ecr-layers': { rule: 'S3PA-EndpointPolicyAwsBuckets', path: '*' },
  'custom-resource-response': { rule: 'S3PA-CustomResourceResponse', path: '/S3PrivateAccessExample/S3Access/Endpoint/Resource' },
  'set-operator-single-valued': { rule: 'S3PA-SetOperatorSingleValued', path: '/S3PrivateAccessExample/Data/Policy/Resource' },
  'interface-vpce-only': { rule: 'S3PA-InterfaceVpceRequired', path: '/S3PrivateAccessExample/Data/Policy/Resource' },
  'access-point-other-vpc': { rule: 'S3PA-AccessPointVpcOrigin', path: '/S3PrivateAccessExample/PartnerReports' },
};

describe('the example app', () => {
  test('every plantable fault has an expectation', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...FAULTS].sort());
  });

  test.each(FAULTS)('GIVEN fault %s THEN synth fails with the catalog rule and its fix', (fault) => {
    const { app, stack } = exampleApp(fault);
    Aspects.of(app).add(new S3PrivateAccessChecks());
    const { rule, path } = EXPECTED[fault];
    Annotations.fromStack(stack).hasError(path, Match.stringLikeRegexp(`\\[${rule}\\] .*\\. Fix: `));
  });

  test('GIVEN no fault THEN the checks find nothing at all', () => {
    const { app, stack } = exampleApp();
    Aspects.of(app).add(new S3PrivateAccessChecks());
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('S3PA-'))).toEqual([]);
  });
});
