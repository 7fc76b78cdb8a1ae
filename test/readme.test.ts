import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');

/** The lines an integ test marks with `/// !show` … `/// !hide`, as the README shows them. */
function shownLines(file: string): string {
  const out: string[] = [];
  let show = false;
  for (const line of fs.readFileSync(path.join(root, file), 'utf8').split('\n')) {
    if (line.trim() === '/// !show') show = true;
    else if (line.trim() === '/// !hide') show = false;
    else if (show) out.push(line);
  }
  return out.join('\n').trimEnd();
}

describe('README', () => {
  test('its S3PrivateAccess example is the code the isolated-lambda integ test deploys', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const shown = shownLines('integ/integ.isolated-lambda.ts');
    expect(shown.length).toBeGreaterThan(200);
    expect(readme).toContain('```ts\n' + shown + '\n```');
  });

  test('its dual-stack, S3 Express and remote-access example is the code the dualstack-remote-express integ test deploys', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const shown = shownLines('integ/integ.dualstack-remote-express.ts');
    expect(shown).toContain('remoteAccess');
    expect(readme).toContain('```ts\n' + shown + '\n```');
  });

  test('starts with the two commands CI runs', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const ci = fs.readFileSync(path.join(root, '.ci', 'run'), 'utf8');
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)![1];
    const commands = firstBlock.split('\n').map(l => l.replace(/#.*$/, '').trim()).filter(Boolean);
    expect(commands).toEqual(['npm ci && npx cdk synth', 'npx projen build']);
    expect(ci).toContain('npm ci\n');
    expect(ci).toContain('npx cdk synth');
    expect(ci).toContain('npx projen build');
  });
});
