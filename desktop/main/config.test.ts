import { expect } from 'chai';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../../tests/support/testing';
import { DEFAULT_PRINTER_SETTINGS } from '../shared/ipc';
import { CONFIG_FILE, createConfigStore, DEFAULT_CONFIG, parseDesktopConfig, readConfigFile } from './config';

describe('desktop/main: the shell config file in userData (issue 11)', () => {
  let dir: { dir: string; cleanup: () => Promise<void> };
  let file: string;
  beforeEach(async () => {
    dir = await tempDir('caja-config-');
    file = path.join(dir.dir, CONFIG_FILE);
  });
  afterEach(() => dir.cleanup());

  it('a missing file is the defaults, without a problem (first start)', () => {
    expect(readConfigFile(file)).to.deep.equal({ config: DEFAULT_CONFIG, problems: [] });
  });

  it('a file that is not JSON still starts the till, on the defaults, with the problem reported', async () => {
    await writeFile(file, '{ "relayUrl": ');
    const r = readConfigFile(file);
    expect(r.config).to.deep.equal(DEFAULT_CONFIG);
    expect(r.problems[0]).to.match(/is not JSON/);
  });

  it('one bad field falls back alone; the good fields are kept', () => {
    const r = parseDesktopConfig({ relayUrl: 'http://user:pw@relay:5900/', loadFromRelay: true, windowMode: 'kiosk', printer: { columns: 40 } });
    expect(r.config).to.deep.equal({ ...DEFAULT_CONFIG, loadFromRelay: true, windowMode: 'kiosk' });
    expect(r.problems).to.have.length(2);
    expect(r.problems.join('\n')).to.match(/relayUrl/).and.match(/printer/);
  });

  it('saving printer settings writes the whole file atomically (no temporary file left) and reads back the same', async () => {
    const store = createConfigStore(file, { ...DEFAULT_CONFIG, relayUrl: 'http://192.168.1.10:5900/' });
    const printer = { ...DEFAULT_PRINTER_SETTINGS, connection: { transport: 'network' as const, host: '192.168.1.50', port: 9100 } };
    store.setPrinter(printer);
    expect(await readdir(dir.dir)).to.deep.equal([CONFIG_FILE]);
    expect(readConfigFile(file)).to.deep.equal({ config: { ...DEFAULT_CONFIG, relayUrl: 'http://192.168.1.10:5900/', printer }, problems: [] });
    expect(JSON.parse(await readFile(file, 'utf8'))).to.have.property('relayUrl', 'http://192.168.1.10:5900/');
    expect(store.current().printer).to.deep.equal(printer);
  });
});
