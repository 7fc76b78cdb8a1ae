import { Maybe, ModelResource, StackInfo } from './types';
import { StackTemplate, ValueResolver } from './values';

/**
 * The app's CloudFormation resources, indexed, with the value resolver over them: what every builder of the model
 * reads. Complete before any builder runs, so no builder sees a half-built model.
 *
 * Internal: not exported from the package's index.
 */
export class ResourceIndex {
  readonly stacks: StackInfo[];
  readonly resources: ModelResource[] = [];
  readonly values: ValueResolver;

  private readonly byType = new Map<string, ModelResource[]>();
  private readonly byKey = new Map<string, ModelResource>();
  /** Symbolic documents by source document and stack: rules evaluate one policy for many requests. */
  private readonly symDocs = new WeakMap<object, Map<StackInfo, any>>();

  constructor(stacks: StackTemplate[]) {
    this.stacks = stacks.map(s => s.info);
    for (const s of stacks) {
      for (const [logicalId, r] of Object.entries(s.template.Resources ?? {})) {
        if (!r || typeof r.Type !== 'string') continue;
        const res: ModelResource = {
          key: `${s.info.id}/${logicalId}`,
          stack: s.info,
          logicalId,
          type: r.Type,
          path: s.paths?.[logicalId] ?? r.Metadata?.['aws:cdk:path'] ?? `${s.info.id}/${logicalId}`,
          props: r.Properties ?? {},
          ...(s.physicalIds?.[logicalId] ? { physicalId: s.physicalIds[logicalId] } : {}),
        };
        this.resources.push(res);
        this.byKey.set(res.key, res);
        const list = this.byType.get(res.type) ?? [];
        list.push(res);
        this.byType.set(res.type, list);
      }
    }
    this.values = new ValueResolver(stacks, this.resources);
  }

  /** All resources of a CloudFormation type, e.g. `AWS::EC2::VPCEndpoint`. */
  ofType(type: string): ModelResource[] {
    return this.byType.get(type) ?? [];
  }

  /** The resource with this key (`<stackId>/<logicalId>`), if the app defines it. */
  resource(key: string): ModelResource | undefined {
    return this.byKey.get(key);
  }

  /** The resource a reference points at (`Ref`, `Fn::GetAtt`, in-app `Fn::ImportValue`). */
  target(from: ModelResource | StackInfo, value: any): ModelResource | undefined {
    return this.values.target(infoOf(from), value);
  }

  str(from: ModelResource | StackInfo, value: any): Maybe<string> {
    return this.values.str(infoOf(from), value);
  }

  num(from: ModelResource | StackInfo, value: any): Maybe<number> | undefined {
    return this.values.num(infoOf(from), value);
  }

  bool(from: ModelResource | StackInfo, value: any): Maybe<boolean> | undefined {
    return this.values.bool(infoOf(from), value);
  }

  /** A string with references to the app's resources kept symbolic (see {@link ValueResolver.sym}). */
  sym(from: ModelResource | StackInfo, value: any): string {
    return this.values.sym(infoOf(from), value);
  }

  /**
   * A policy document (or any JSON) with every intrinsic replaced by its symbolic string, ready for the IAM evaluator.
   * The same document read from the same stack gives the same object (the evaluator caches its parsed statements by
   * document), so neither may be mutated.
   */
  symDoc(from: ModelResource | StackInfo, doc: any): any {
    const info = infoOf(from);
    if (doc === null || typeof doc !== 'object') return this.values.symDeep(info, doc);
    let byStack = this.symDocs.get(doc);
    if (!byStack) {
      byStack = new Map();
      this.symDocs.set(doc, byStack);
    }
    if (!byStack.has(info)) byStack.set(info, this.values.symDeep(info, doc));
    return byStack.get(info);
  }

  /**
   * A symbolic value for messages: `{{<key>}}` and `{{<key>.<attr>}}` become the resource's construct path, other
   * holes stay as they are.
   */
  shown(text: string): string {
    return text.replace(/\{\{([^{}]+?)(?:\.[A-Za-z]+)?\}\}/g, (whole, key: string) => this.byKey.get(key)?.path ?? whole);
  }
}

function infoOf(from: ModelResource | StackInfo): StackInfo {
  return 'stack' in from ? from.stack : from;
}
