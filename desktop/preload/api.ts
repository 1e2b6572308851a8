// The object the preload exposes as `window.caja`, built over an `invoke` function so it is tested in Node with a
// fake one (preload.ts passes ipcRenderer.invoke). Each method sends exactly one input on its own channel: the
// page gets functions, never ipcRenderer itself, so it can reach only the methods of the shared map.
import type { ApiInput, ApiName, ApiOutput, CajaApi, IpcResult } from '../shared/ipc';
import { channelOf } from '../shared/ipc';

/** ipcRenderer.invoke, as the API uses it: one channel of the map, its input, its result. */
export type Invoke = <K extends ApiName>(channel: `caja:${K}`, input: ApiInput<K>) => Promise<IpcResult<ApiOutput<K>>>;

/** The preload API over `invoke`. */
export function createCajaApi(invoke: Invoke): CajaApi {
  const api = {
    printReceipt: (input) => invoke(channelOf('printReceipt'), input),
    openDrawer: (input) => invoke(channelOf('openDrawer'), input),
    listPrinters: (input) => invoke(channelOf('listPrinters'), input),
    testPrint: (input) => invoke(channelOf('testPrint'), input),
    getPrinterSettings: (input) => invoke(channelOf('getPrinterSettings'), input),
    setPrinterSettings: (input) => invoke(channelOf('setPrinterSettings'), input),
    appInfo: (input) => invoke(channelOf('appInfo'), input),
  } satisfies CajaApi;
  return Object.freeze(api);
}
