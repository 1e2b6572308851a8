// node-escpos-win ships no types. Only what windows.ts uses, as read from its binding.cc (1.0.15): the calls are
// synchronous and report failure in the result (a Win32 error number), not by throwing.
declare module 'node-escpos-win' {
  export interface EscposWinDevice {
    name: string;
    service: string;
    manufacturer: string;
    location: string;
    path: string;
  }
  export interface EscposWin {
    GetDeviceList(type: 'USB' | 'LPT' | 'COM'): { list: EscposWinDevice[]; err?: string; number?: number; success?: boolean | string };
    Print(path: string, content: Buffer): { success: boolean | number; err: number | string };
    Disconnect(path: string): boolean;
  }
  const escpos: EscposWin;
  export default escpos;
}
