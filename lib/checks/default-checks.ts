import { Aspects, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { S3PrivateAccessChecks } from './aspect';
import { provideDefaultChecks } from '../default-checks-hook';

/**
 * The checks S3PrivateAccess turns on for its stack. They stand down where the user added `S3PrivateAccessChecks`
 * to the stack or an ancestor, so the user's options (disabled rules, warnings as errors) win.
 */
class DefaultChecks extends S3PrivateAccessChecks {
  private decided = false;

  public visit(node: IConstruct): void {
    // the stack is visited first, and the one check registered there covers all of it: decide once, not per node
    if (this.decided) return;
    this.decided = true;
    const explicit = node.node.scopes.some((scope) =>
      Aspects.of(scope).all.some((a) => a instanceof S3PrivateAccessChecks && !(a instanceof DefaultChecks)));
    if (!explicit) super.visit(node);
  }
}

provideDefaultChecks({
  enable(stack: Stack): void {
    if (!Aspects.of(stack).all.some((a) => a instanceof DefaultChecks)) Aspects.of(stack).add(new DefaultChecks());
  },
});
