import { awscdk, javascript, JsonFile } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

// Toolchain pins and why (see ../shared/DESIGN.md):
// - aws-cdk-lib 2.257.0 writes cloud-assembly schema 53, the newest that @aws-cdk/integ-runner 2.197.10 reads,
//   and cdk-nag 3 needs at least 2.257.0.
// - the aws-cdk CLI 2.1148.1: the registry's `latest` (3.0.0) rejects our assemblies.
const CDK_VERSION = '2.257.0';
const CDK_CLI_VERSION = '2.1148.1';
// the other end of the compatibility matrix: the newest aws-cdk-lib the registry serves, and the CLI it is used
// with (the registry's newest 2.x; its `latest` 3.x rejects these assemblies)
const NEWEST_CDK_VERSION = '2.276.0';
const NEWEST_CDK_CLI_VERSION = '2.1148.1';
const MIN_NODE_VERSION = '20.0.0'; // aws-cdk-lib's own engines field (>=20) in both versions
const QUIET_JSII = { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-s3-private-access',
  description:
    'Private access to Amazon S3 from VPC workloads through a gateway endpoint, done right in one construct, ' +
    'with synth-time checks that fail `cdk synth` on the misconfigurations that break it.',
  author: 'cdk-s3-private-access maintainers',
  authorAddress: 'maintainers@users.noreply.github.com',
  license: 'Apache-2.0',
  repositoryUrl: 'https://github.com/cdk-s3-private-access/cdk-s3-private-access.git',
  keywords: ['aws-cdk', 'cdk', 's3', 'vpc', 'vpc-endpoint', 'gateway-endpoint', 'privatelink', 'cdk-nag', 'security'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  cdkVersion: CDK_VERSION,
  minNodeVersion: MIN_NODE_VERSION,
  workflowNodeVersion: 'lts/*',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',

  // compiled .js/.d.ts sit beside the .ts sources
  srcdir: 'lib',
  libdir: 'lib',
  testdir: 'test',

  peerDeps: ['cdk-nag@^3.0.2'],
  devDeps: [
    `aws-cdk@${CDK_CLI_VERSION}`,
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    '@aws-cdk/integ-runner@2.197.10',
    '@aws-cdk/cloud-assembly-schema@^53.28.0',
    '@cloud-copilot/iam-simulate@0.1.173', // AGPL-3.0: a test oracle only, never shipped
    'fast-check@^4.10.2',
    // `--live` of the CLI loads these at run time when the user has installed them (optional peers)
    '@aws-sdk/client-ec2@^3.1169.0',
    '@aws-sdk/client-s3@^3.1169.0',
    '@aws-sdk/client-iam@^3.1169.0',
    '@aws-sdk/client-lambda@^3.1164.0',
    '@aws-sdk/client-ecs@^3.1164.0',
    'aws-sdk-client-mock@^4.1.0',
  ],
  bin: { 's3-private-access': 'lib/cli/main.js' },

  jestOptions: {
    // projen's default passes --updateSnapshot, which makes every snapshot pass forever
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // lib/ holds compiled .js beside the sources: load the .ts, never a stale build
      moduleFileExtensions: ['ts', 'js', 'json', 'node'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
      // jest's default is one worker fewer than the cores: on CI's two cores, one worker and an idle core
      maxWorkers: '100%',
    },
  },
  tsconfigDev: {
    include: ['../integ/**/*.ts', '../examples/**/*.ts', '../scripts/**/*.ts', '../bench/**/*.ts'],
    // jest and integ-runner only transpile; the `typecheck` task checks types once for all of them
    compilerOptions: { isolatedModules: true },
  },

  // publishing: every jsii target is configured for the release pipeline, which packages each in its own job;
  // the local build packages JavaScript only (see README "Packages")
  releaseToNpm: true,
  publishToPypi: { distName: 'cdk-s3-private-access', module: 'cdk_s3_private_access' },
  publishToMaven: {
    javaPackage: 'io.github.cdks3privateaccess',
    mavenGroupId: 'io.github.cdk-s3-private-access',
    mavenArtifactId: 'cdk-s3-private-access',
  },
  publishToNuget: { dotNetNamespace: 'CdkS3PrivateAccess', packageId: 'CdkS3PrivateAccess' },
  publishToGo: { moduleName: 'github.com/cdk-s3-private-access/cdk-s3-private-access-go' },
  github: true,
  docgen: true,

  gitignore: ['/cdk.out', '/.jsii.tabl.json', '/integ/cdk-integ.out.*', '/integ/**/*.snapshot/asset.*', '*.cpuprofile', '/.bench/'],
});

// srcdir and libdir are one folder: keep the sources in git and out of the npm package, the build output the reverse
project.gitignore.removePatterns('/lib');
project.gitignore.addPatterns('/lib/**/*.js', '/lib/**/*.d.ts', '!/lib/**/*.ts', '/lib/**/*.d.ts');
project.npmignore?.addPatterns('/lib/**/*.ts', '!/lib/**/*.d.ts');
project.npmignore?.addPatterns('/.ci/', '/compat/', '/integ/', '/examples/', '/scripts/', '/bench/', '/cdk.out', '/cdk.json', '/cdk.context.json', '/BENCHMARKS.md', '/rosetta/');

// the local build packages JavaScript only: Python, Java, .NET and Go need toolchains and registries that
// the release pipeline has and a developer machine may not (package:python etc. remain for those who do)
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);

// README examples must compile (jsii-rosetta strict), so users copy code that works
project.postCompileTask.exec('jsii-rosetta extract --strict --compile');

// cdk-nag is optional: only the nag pack needs it, and loads it when constructed (lib/checks/cdk-nag-loader.ts)
project.package.addField('peerDependenciesMeta', { 'cdk-nag': { optional: true } });

// the registry here carries only some platform builds of unrs-resolver 1.13.0
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

for (const [k, v] of Object.entries(QUIET_JSII)) project.tasks.addEnvironment(k, v);

// eslint's project service takes the nearest tsconfig.json: give each non-lib folder one that sees its files
for (const dir of ['integ', 'examples', 'scripts', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../test/tsconfig.json',
      include: ['./**/*.ts'],
      exclude: ['./**/*.snapshot/**', './cdk-integ.out.*/**', './**/cdk.out/**'],
    },
  });
}
project.eslint?.allowDevDeps('integ/**');
project.eslint?.allowDevDeps('examples/**');
project.eslint?.allowDevDeps('scripts/**');
project.eslint?.allowDevDeps('bench/**');
project.eslint?.addLintPattern('integ');
project.eslint?.addLintPattern('examples');
project.eslint?.addLintPattern('scripts');
project.eslint?.addLintPattern('bench');

// integ tests: verified offline against committed snapshots; deployed by users with a sandbox account
const integEnv = { TS_NODE_PREFER_TS_EXTS: 'true', TS_NODE_TRANSPILE_ONLY: 'true' };
const typecheck = project.addTask('typecheck', {
  description: 'type-check lib, test, integ, examples and scripts (jest and integ-runner only transpile)',
  exec: 'tsc -p test/tsconfig.json --noEmit',
});
const integ = project.addTask('integ', {
  description: 'verify the committed integ-test snapshots (offline; exits 1 on drift)',
  env: integEnv,
});
integ.exec('integ-runner --directory integ --language typescript --parallel-regions us-east-1', { receiveArgs: true });
project.addTask('integ:update', {
  description: 'rewrite the integ-test snapshots without deploying',
  env: integEnv,
  exec: 'integ-runner --directory integ --language typescript --update-on-failed --dry-run --parallel-regions us-east-1',
  receiveArgs: true,
});
project.addTask('integ:deploy', {
  description: 'deploy the integ tests to a sandbox account, run their assertions and destroy them (needs credentials)',
  env: integEnv,
  exec: 'integ-runner --directory integ --language typescript --update-on-failed --force',
  receiveArgs: true,
});
project.testTask.prependSpawn(typecheck);
project.testTask.spawn(integ);

// The compatibility matrix. The unit tests of the rules and front ends run again against the newest aws-cdk-lib,
// installed apart in compat/newest (its own lockfile) with its CLI; jest maps the CDK modules there. The CDK CLI
// tests (test/synth) run each app on both versions themselves, so the newest run skips them.
const NEWEST_DEPS = {
  'aws-cdk': NEWEST_CDK_CLI_VERSION,
  'aws-cdk-lib': NEWEST_CDK_VERSION,
  'cdk-nag': '3.0.2',
  'constructs': '10.5.1',
};
new JsonFile(project, 'compat/newest/package.json', {
  obj: {
    name: 'cdk-s3-private-access-compat-newest',
    private: true,
    description: 'The newest aws-cdk-lib and CDK CLI, for the compatibility matrix (npx projen test:newest)',
    dependencies: NEWEST_DEPS,
  },
});
const NEWEST_MODULES = '<rootDir>/compat/newest/node_modules';
const MATRIX_TESTS = ['rules', 'checks', 'cli', 'diagnostics', 'corpus', 'model', 'input'];
new JsonFile(project, 'compat/newest/jest.config.json', {
  obj: () => {
    const base = project.jest!.config;
    return {
      rootDir: '../..',
      testMatch: MATRIX_TESTS.map(dir => `<rootDir>/test/${dir}/**/*.test.ts`),
      moduleFileExtensions: base.moduleFileExtensions,
      transform: base.transform,
      clearMocks: true,
      maxWorkers: '100%',
      testPathIgnorePatterns: ['/node_modules/'],
      // one copy of each, the newest, for the tests, the library and every package they load
      moduleNameMapper: {
        '^aws-cdk-lib$': `${NEWEST_MODULES}/aws-cdk-lib`,
        '^aws-cdk-lib/(.*)$': `${NEWEST_MODULES}/aws-cdk-lib/$1`,
        '^constructs$': `${NEWEST_MODULES}/constructs`,
        '^cdk-nag$': `${NEWEST_MODULES}/cdk-nag`,
      },
      reporters: ['default', ['jest-junit', { outputDirectory: 'test-reports', outputName: 'junit-newest.xml' }]],
    };
  },
});
const compatInstall = project.addTask('compat:install', {
  description: 'install the newest aws-cdk-lib and CLI of the compatibility matrix into compat/newest (from its lockfile)',
  exec: `node -e "process.exit(require('./compat/newest/node_modules/aws-cdk-lib/package.json').version === '${NEWEST_CDK_VERSION}' ? 0 : 1)" `
    + '2>/dev/null || npm ci --prefix compat/newest --no-audit --no-fund',
});
const testNewest = project.addTask('test:newest', {
  description: `the unit tests of the rules and front ends against aws-cdk-lib ${NEWEST_CDK_VERSION} (compat/newest)`,
});
testNewest.spawn(compatInstall);
testNewest.exec('jest --config compat/newest/jest.config.json --ci', { receiveArgs: true });
// test/synth runs the CDK CLI on both versions: compat/newest must be there before jest
project.testTask.prependSpawn(compatInstall);
project.testTask.spawn(testNewest);


project.addTask('bench', {
  description: 'benchmark the checks against plain synth and cdk-nag AwsSolutions (prints ratios; not part of the tests)',
  env: { TS_NODE_PREFER_TS_EXTS: 'true' },
  exec: 'node --expose-gc -r ts-node/register/transpile-only bench/run.ts',
  receiveArgs: true,
});
project.package.setScript('bench', 'npx projen bench');

project.addTask('quickstart', {
  description: 'the README quick start in a fresh `cdk init` app with the newest aws-cdk-lib and the packed library (after compile)',
  exec: 'ts-node --prefer-ts-exts --transpile-only scripts/quickstart.ts',
});

project.addTask('rules-doc', {
  description: 'regenerate the rule registry (lib/rules/all.ts) and RULES.md from the rule files (a test fails when they are stale)',
  exec: 'ts-node --prefer-ts-exts --transpile-only scripts/gen-rules-doc.ts',
});

project.synth();
