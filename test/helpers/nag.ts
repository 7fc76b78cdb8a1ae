import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/**
 * A cdk-nag finding to acknowledge, always with the reason written down.
 */
export interface NagAcknowledgement {
  /** where to acknowledge it: the finding's resource or one of its ancestors */
  readonly scope: IConstruct;
  /** the rule id, with its finding in brackets when it has one, e.g. `AwsSolutions-IAM5[Resource::*]` */
  readonly id: string;
  /** why the finding is acceptable */
  readonly reason: string;
}

/**
 * Runs cdk-nag's AwsSolutions pack over `stack` and returns the unacknowledged violations as
 * `<ruleName> at <construct path>` strings, so a failing assertion shows exactly what to fix.
 */
export function unacknowledgedFindings(app: App, stack: Stack, acknowledgements: NagAcknowledgement[] = []): string[] {
  for (const ack of acknowledgements) {
    if (!ack.reason || ack.reason.trim().length < 10) {
      throw new Error(`acknowledgement of ${ack.id} needs a written reason`);
    }
    if (ack.id.split('::').length > 2) {
      // Validations.acknowledge() rejects ids with more than one '::', which cdk-nag's finding ids for managed
      // policies contain (`AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:…]`); cdk-nag reads the same metadata
      // entry that acknowledge() writes, so record it directly, reason included
      ack.scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [ack.id]: ack.reason });
    } else {
      Validations.of(ack.scope).acknowledge({ id: ack.id, reason: ack.reason });
    }
  }
  const report = new AwsSolutionsChecks(app).validateScope(stack);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
}

/**
 * Asserts that cdk-nag's AwsSolutions pack finds nothing in `stack` beyond the given acknowledgements.
 */
export function expectNoUnacknowledgedFindings(app: App, stack: Stack, acknowledgements: NagAcknowledgement[] = []): void {
  expect(unacknowledgedFindings(app, stack, acknowledgements)).toEqual([]);
}
