import { Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Node } from 'constructs';
import { S3PrivateAccess } from '../../lib';
import { ACCOUNT, REGION, envBoundStack } from '../helpers/s3pa-fixtures';

/*
 * The synth-time check that a route table gets its S3 route from one place only is done for every S3PrivateAccess of a
 * stage in one walk of the app (each construct walking the app made the validation quadratic in the app's size); the
 * errors stay on each construct, a change after a synth is seen, and a stage synthesized alone is checked too.
 */

const S3 = ec2.GatewayVpcEndpointAwsService.S3;
const SHARED = /route table .* would get its S3 gateway endpoint route from 2 places/;

function vpcWith(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
}

function accessIn(stack: Stack): ec2.Vpc {
  const vpc = vpcWith(stack);
  new S3PrivateAccess(stack, 'S3', { vpc, checks: false });
  return vpc;
}

function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

test('GIVEN two stacks whose VPCs each get a late S3 endpoint THEN synth reports the error on each construct', () => {
  // GIVEN
  const { app, stack } = envBoundStack('One');
  const other = new Stack(app, 'Two', { env: { account: ACCOUNT, region: REGION } });
  accessIn(stack).addGatewayEndpoint('Late', { service: S3 });
  accessIn(other).addGatewayEndpoint('Late', { service: S3 });

  // WHEN
  const message = thrown(() => app.synth());

  // THEN
  expect(message).toMatch(/\[One\/S3\] route table .* from 2 places \(One\/Vpc\/Late\/Resource, One\/S3\/Endpoint\/Resource\)/);
  expect(message).toMatch(/\[Two\/S3\] route table .* from 2 places \(Two\/Vpc\/Late\/Resource, Two\/S3\/Endpoint\/Resource\)/);
});

test('GIVEN a clean synth WHEN a late S3 endpoint is added and the app synthesized again THEN synth fails', () => {
  // GIVEN
  const { app, stack } = envBoundStack();
  const vpc = accessIn(stack);
  Template.fromStack(stack);

  // WHEN
  vpc.addGatewayEndpoint('Late', { service: S3 });

  // THEN
  expect(() => app.synth({ force: true })).toThrow(SHARED);
});

test('GIVEN a stage of its own WHEN the stage is synthesized alone, or with the app THEN synth fails', () => {
  // GIVEN
  const { app } = envBoundStack('Unused');
  const stage = new Stage(app, 'Stage');
  accessIn(new Stack(stage, 'Stack', { env: { account: ACCOUNT, region: REGION } })).addGatewayEndpoint('Late', { service: S3 });

  // THEN
  expect(() => stage.synth()).toThrow(SHARED);
  expect(() => app.synth({ force: true })).toThrow(SHARED);
});

test('GIVEN a construct validated by hand THEN it finds the shared route table itself', () => {
  // GIVEN
  const { stack } = envBoundStack();
  const vpc = vpcWith(stack);
  const access = new S3PrivateAccess(stack, 'S3', { vpc, checks: false });
  vpc.addGatewayEndpoint('Late', { service: S3 });

  // THEN
  expect(access.node.validate()).toEqual([expect.stringMatching(SHARED)]);
});

test('GIVEN more S3PrivateAccess constructs THEN synth walks the app no more often', () => {
  function walksOfSynth(stacks: number): number {
    const { app } = envBoundStack('Unused');
    for (let i = 0; i < stacks; i++) {
      accessIn(new Stack(app, `S${i}`, { env: { account: ACCOUNT, region: REGION } }));
    }
    const spy = jest.spyOn(Node.prototype, 'findAll');
    try {
      app.synth();
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  }

  expect(walksOfSynth(4)).toBe(walksOfSynth(1));
});
