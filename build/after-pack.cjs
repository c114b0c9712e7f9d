// electron-builder `afterPack` hook: flips the Electron fuses of the packed executable before it
// is signed and wrapped into the installer / portable exe / AppImage. See docs/electron.md.
// Option names: node_modules/@electron/fuses (FuseV1Options) and its README.
'use strict';

const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');
const { Arch } = require('electron-builder');

/** The Electron binary inside `appOutDir`, named the way electron-builder names it. */
function executablePath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const productFilename = packager.appInfo.productFilename;
  switch (electronPlatformName) {
    case 'win32':
      return path.join(appOutDir, `${productFilename}.exe`);
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${productFilename}.app`);
    case 'linux':
      // The Linux binary is named after `linux.executableName` (school-office), not productName.
      return path.join(appOutDir, packager.executableName || productFilename);
    default:
      throw new Error(`after-pack: unknown platform ${electronPlatformName}`);
  }
}

module.exports = async function afterPack(context) {
  const target = executablePath(context);
  const isMac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  await flipFuses(target, {
    version: FuseVersion.V1,
    // Unsigned arm64 macOS builds need a fresh ad-hoc signature after the binary changed.
    resetAdHocDarwinSignature: isMac && context.arch === Arch.arm64,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    // electron-builder embeds the app.asar header hash (Windows resource / macOS Info.plist).
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    // The renderer is served over app://, file:// needs no extra privileges.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  });
  console.log(`  • electron fuses flipped  file=${target}`);
};
