import { CATALOG_VERSION } from '../lib';
test('catalog version', () => { expect(CATALOG_VERSION).toBe('1'); });
