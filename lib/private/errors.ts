import * as cdk from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The error name the construct's errors carry (aws-cdk-lib shows it as `«name» message` and writes it to its error file). */
const ERROR_NAME = 'S3PrivateAccessValidation';

/** aws-cdk-lib's `ValidationError`, looked up by feature rather than version: its name argument is a branded string. */
type ValidationErrorClass = new (name: string, message: string, scope: IConstruct) => Error;

/**
 * An error about bad input to a construct, carrying the construct's path: aws-cdk-lib's public `ValidationError` when
 * the installed aws-cdk-lib exports one (its `constructPath`, and a stack that ends with the construct's root path, as
 * the CDK CLI prints it), else a plain `Error` that carries the path the same way. The message is ours, unchanged.
 *
 * @param message lowercase, showing the bad value and what to do
 * @param scope the construct whose input is bad
 */
export function constructError(message: string, scope: IConstruct): Error {
  return errorWith(validationErrorClass(), message, scope);
}

/**
 * An error about bad input from a helper that may or may not know the construct: `constructError` when `scope` is
 * given, else a plain `Error` with the same message (a static factory or a pure function with no construct at hand).
 */
export function inputError(message: string, scope?: IConstruct): Error {
  return scope ? constructError(message, scope) : new Error(message);
}

/** The error built with `ValidationError` when given, else the fallback (exported for the fallback's test). */
export function errorWith(validationError: ValidationErrorClass | undefined, message: string, scope: IConstruct): Error {
  if (validationError) {
    return new validationError(ERROR_NAME, message, scope);
  }
  const error = new Error(message);
  error.name = ERROR_NAME;
  Object.defineProperty(error, 'constructPath', { value: scope.node.path, enumerable: false });
  error.stack = `${error.stack}\nRelates to construct:\n    ${scope.node.path || '<.>'}`;
  return error;
}

function validationErrorClass(): ValidationErrorClass | undefined {
  const candidate = (cdk as Record<string, unknown>).ValidationError;
  return typeof candidate === 'function' ? candidate as ValidationErrorClass : undefined;
}
