import { userFrame } from '../../lib/diagnostics/creation-sites';

describe('the user\'s frame of a construct creation trace', () => {
  test('GIVEN frames of aws-cdk-lib, of an installed library and of the app THEN the app\'s line', () => {
    expect(userFrame([
      '...new Function2 in aws-cdk-lib...',
      'S3PrivateAccess.allowFrom (/app/node_modules/cdk-s3-private-access/lib/s3-private-access.js:271:23)',
      'new MyStack (/app/lib/my-stack.ts:12:5)',
      '<anonymous> (/app/bin/app.ts:7:1)',
    ])).toEqual({ file: '/app/lib/my-stack.ts', line: 12, column: 5 });
  });

  test('GIVEN file URLs (ES modules) and frames without a function name THEN the path and line', () => {
    expect(userFrame(['file:///app/bin/app.mjs:3:9'])).toEqual({ file: '/app/bin/app.mjs', line: 3, column: 9 });
    expect(userFrame(['/app/bin/app.js:4'])).toEqual({ file: '/app/bin/app.js', line: 4, column: undefined });
  });

  test('GIVEN only library and runtime frames THEN no site', () => {
    expect(userFrame(['...new Bucket2 in aws-cdk-lib...', 'node:internal/modules/cjs/loader:1521:14', 42])).toBeUndefined();
  });
});
