import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { exampleApp } from '../helpers/example';

/*
 * A user who runs cdk-nag's AwsSolutions pack on their app (their own pack instance, not one of ours) gets no finding
 * about the resources S3PrivateAccess writes: the construct acknowledges its own, with reasons. The example app
 * acknowledges only what it adds itself (its access-log bucket).
 */
describe('the user\'s own AwsSolutionsChecks on the example app', () => {
  test('reports no unacknowledged finding', () => {
    // GIVEN
    const { app, stack } = exampleApp();
    // WHEN
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    // THEN
    expect(report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`))).toEqual([]);
  });

  test('after synthesis too, as the CLI runs it (plugins see the prepared app)', () => {
    // GIVEN
    const { app, stack } = exampleApp();
    app.synth();
    // THEN
    expect(new AwsSolutionsChecks(app).validateScope(stack).violations).toEqual([]);
  });

  test('every acknowledgement on the construct\'s resources and the workload role carries a written reason', () => {
    // GIVEN
    const { stack } = exampleApp();
    // WHEN
    const acks = stack.node.findAll().flatMap((c) => c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason }))));
    // THEN the grant's IAM5 is among them, on the role (aws-cdk-lib 2.262.1 and later prefix ids with 'Annotation::',
    // which cdk-nag strips), and every reason says why
    expect(acks).toContainEqual(expect.objectContaining({ path: 'S3PrivateAccessExample/WorkerRole', id: expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<Data[0-9A-F]+\.Arn>\/work\/\*\]$/) }));
    expect(acks.filter((a) => a.reason.trim().length < 40)).toEqual([]);
  });
});
