import { App, Stack, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NaclCidrUpdater } from '../../lib/network/nacl-cidr-updater';
test('explore', () => {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc });
  new NaclCidrUpdater(stack, 'U', { networkAcls: [acl] });
  const t = Template.fromStack(stack).toJSON();
  for (const [k, r] of Object.entries<any>(t.Resources)) if (!k.startsWith('Vpc')) { if (r.Type === 'AWS::Lambda::Function') r.Properties.Code.ZipFile = '...'; console.log(k, JSON.stringify(r, null, 1)); }
  const v = new AwsSolutionsChecks(app).validateScope(stack).violations;
  console.log(JSON.stringify(v, null, 1));
});
