// The preload of the sandboxed renderer: exposes the typed API of desktop/shared/ipc.ts as `window.caja` and
// nothing else. Bundled to one CommonJS file (desktop/main/build.ts): a sandboxed preload can require only
// 'electron' and a few built-ins, and cannot be an ES module.
import { contextBridge, ipcRenderer } from 'electron';
import { API_GLOBAL } from '../shared/ipc';
import { createCajaApi } from './api';

contextBridge.exposeInMainWorld(API_GLOBAL, createCajaApi((channel, input) => ipcRenderer.invoke(channel, input)));
