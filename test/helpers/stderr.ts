/** What `fn` writes to stderr (not passed through), and its result. */
export function stderrOf(fn: () => void): string {
  let out = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
    out += String(chunk);
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return out;
}
