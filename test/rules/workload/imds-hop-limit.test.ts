import { CfnParameter, Stack, Stage } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { imdsHopLimit } from '../../../lib/rules/workload/imds-hop-limit';
import { envStack, findingsOf, summary } from '../../helpers/checks';
import { isolatedVpc } from '../../helpers/net-fixtures';

const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
const TYPE = new ec2.InstanceType('t3.micro');
const AMI = ec2.MachineImage.latestAmazonLinux2023();

function userData(...commands: string[]): ec2.UserData {
  const ud = ec2.UserData.forLinux();
  ud.addCommands(...commands);
  return ud;
}

function role(stack: Stack): iam.Role {
  return new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
}

function asgWithTemplate(stack: Stack, props: Partial<ec2.LaunchTemplateProps>): ec2.LaunchTemplate {
  const lt = new ec2.LaunchTemplate(stack, 'Lt', { instanceType: TYPE, machineImage: AMI, role: role(stack), requireImdsv2: true, ...props });
  new autoscaling.AutoScalingGroup(stack, 'Asg', { vpc: isolatedVpc(stack), vpcSubnets: ISOLATED, launchTemplate: lt });
  return lt;
}

describe('S3PA-ImdsHopLimit', () => {
  test('warns on an instance that requires IMDSv2 with the default hop limit and runs docker in user data', () => {
    // GIVEN requireImdsv2 (written by CDK's aspect at synthesis) and a docker run
    const stack = envStack();
    new ec2.Instance(stack, 'Host', {
      vpc: isolatedVpc(stack),
      vpcSubnets: ISOLATED,
      instanceType: TYPE,
      machineImage: AMI,
      role: role(stack),
      requireImdsv2: true,
      userData: userData('dnf install -y docker', 'docker run -d --name app public.ecr.aws/app:1'),
    });
    Stage.of(stack)!.synth(); // runs the aspect that adds the IMDSv2 launch template

    // WHEN
    const findings = summary(findingsOf(stack, imdsHopLimit));

    // THEN
    expect(findings).toEqual([{
      level: 'warning',
      path: 'Stack/Host/Resource',
      message: expect.stringContaining('instance Stack/Host/Resource requires IMDSv2 with HttpPutResponseHopLimit unset'),
    }]);
    expect(findings[0].message).toContain('docker run -d --name app');
  });

  test('warns once, on the launch template, when an Auto Scaling group runs docker compose with hop limit 1', () => {
    // GIVEN a launch template with hop limit 1
    const stack = envStack();
    asgWithTemplate(stack, { httpPutResponseHopLimit: 1, userData: userData('docker compose -f /opt/app.yml up -d') });

    // THEN
    expect(summary(findingsOf(stack, imdsHopLimit))).toEqual([{
      level: 'warning',
      path: 'Stack/Lt/Resource',
      message: expect.stringContaining('launch template Stack/Lt/Resource requires IMDSv2 with HttpPutResponseHopLimit 1'),
    }]);
  });

  test('passes hop limit 2', () => {
    // GIVEN
    const stack = envStack();
    asgWithTemplate(stack, { httpPutResponseHopLimit: 2, userData: userData('podman run -d app') });

    // THEN
    expect(findingsOf(stack, imdsHopLimit)).toEqual([]);
  });

  test('passes containers on the host network', () => {
    // GIVEN --network host: no extra hop
    const stack = envStack();
    asgWithTemplate(stack, { httpPutResponseHopLimit: 1, userData: userData('docker run -d --network host app') });

    // THEN
    expect(findingsOf(stack, imdsHopLimit)).toEqual([]);
  });

  test('passes when IMDSv2 is not required', () => {
    // GIVEN IMDSv1 still allowed
    const stack = envStack();
    asgWithTemplate(stack, { requireImdsv2: false, httpPutResponseHopLimit: 1, userData: userData('docker run -d app') });

    // THEN
    expect(findingsOf(stack, imdsHopLimit)).toEqual([]);
  });

  test('cannot judge a hop limit given as a parameter', () => {
    // GIVEN a CloudFormation parameter for the hop limit
    const stack = envStack();
    const hops = new CfnParameter(stack, 'Hops', { type: 'Number' });
    asgWithTemplate(stack, { httpPutResponseHopLimit: hops.valueAsNumber, userData: userData('docker run -d app') });

    // THEN
    expect(summary(findingsOf(stack, imdsHopLimit))).toEqual([{
      level: 'warning', path: 'Stack/Lt/Resource', message: expect.stringContaining('cannot judge: the IMDS settings of launch template'),
    }]);
  });
});
