/**
 * Both manuals' flows in a real browser, through the pages only: the portal (examples/portal)
 * and each person's phone (examples/phone, running softtoken-sdk/device's browser bundle), which
 * produces every code. The tests run in order: the orders need the tokens the first flows made.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PHYSICAL_SERIAL } from '../../examples/portal/manuals-world.js';
import { browserTestsSkipped, launchChromium } from './support/chromium.js';
import { portalWorld, unready, type Phone, type PortalWorld } from './support/portal-world.js';

const ADMIN = 'user:occidente-co:adqd1';
const VICTOR = 'user:occidente-co:victorp1';
const LUCIA = 'user:occidente-co:luciag2';
const PEDRO = 'user:occidente-co:pedror3';
const MARIA = 'user:internacional-ec:mperez';
const BANK = 'bank:op-1';
/** A whole second, so that the codes of the test clock are stable across the step. */
const T0 = Date.UTC(2025, 0, 15, 14, 0, 0);

/** What an error on the page must look like: the SDK's message and code, no stack trace. */
const sdkMessage = (code: string): RegExp => new RegExp(`^No se pudo completar: [^\\n]+ \\[${code}\\]$`, 'u');
const noStackTrace = /\bat\s+\S+\s+\(|\.(?:js|ts):\d+:\d+|Error:/u;

describe.skipIf(browserTestsSkipped)('the manuals in a real browser (Chromium, playwright-core)', () => {
  let browser: Browser;
  let world: PortalWorld;
  let portal: Page;
  const phones = new Map<string, Phone>();
  const serials = new Map<string, string>();

  beforeAll(async () => {
    browser = await launchChromium();
    world = await portalWorld(browser, T0);
    portal = world.portal;
  });
  afterEach(async (context) => {
    // A failed test leaves the portal as it was then, for whoever reads CI's artifacts.
    if (context.task.result?.state === 'fail') await world.screenshot(`failed-${context.task.name.slice(0, 40).replace(/\W+/gu, '-')}`);
  });
  afterAll(async () => {
    // Either may be missing when launching failed: the failure is the launch's message.
    await (world as PortalWorld | undefined)?.close();
    await (browser as Browser | undefined)?.close();
  });

  const noticeSays = async (text: RegExp): Promise<string> => {
    const notice = portal.locator('#notice', { hasText: text });
    await notice.waitFor();
    return (await notice.textContent()) ?? '';
  };
  const errorSays = async (code: string): Promise<string> => {
    const error = portal.locator('#error', { hasText: `[${code}]` });
    await error.waitFor();
    const text = (await error.textContent()) ?? '';
    expect(text).toMatch(sdkMessage(code));
    expect(text).not.toMatch(noStackTrace);
    return text;
  };
  /** Answers the portal's code prompt with what the phone shows now (after waiting for a fresh step). */
  const confirmWith = async (phone: Phone | string): Promise<void> => {
    await portal.locator('#otp-dialog[open]').waitFor();
    let code: string;
    if (typeof phone === 'string') code = phone;
    else {
      await world.nextStep();
      code = await phone.code();
    }
    await portal.fill('#otp-input', code);
    await portal.click('#otp-ok');
  };
  const statusOf = async (serial: string): Promise<string> => (await portal.locator(`tr[data-serial="${serial}"] td.status`).textContent()) ?? '';
  const assign = async (userId: string): Promise<string> => {
    await portal.selectOption('#assign-user', userId);
    await portal.getByRole('button', { name: 'Asignar', exact: true }).click();
    const text = await noticeSays(/^Token \w+ asignado/u);
    const serial = /^Token (\w+)/u.exec(text)?.[1];
    if (serial === undefined) throw new Error('no serial in the notice');
    return serial;
  };
  const tokenAction = async (label: string, serial: string): Promise<void> => {
    await portal.getByRole('button', { name: `${label} ${serial}`, exact: true }).click();
  };
  /** The phone takes the serial and the activation code the portal shows: typed, or scanned from a screenshot of the QR image. */
  const activatePhone = async (phone: Phone, how: 'typed' | 'scanned'): Promise<void> => {
    if (how === 'scanned') {
      const image = await portal.locator('#activation-qr').screenshot();
      await phone.page.setInputFiles('#qr-image', { name: 'qr.png', mimeType: 'image/png', buffer: image });
    } else {
      await phone.page.fill('#serial', (await portal.locator('#activation-serial').textContent()) ?? '');
      await phone.page.fill('#activation-code', (await portal.locator('#activation-code').textContent()) ?? '');
      await phone.page.getByRole('button', { name: 'Activar' }).click();
    }
    await phone.page.locator('#registration-code').filter({ hasText: /^1\d{3}(-\d{4}){5}$/u }).waitFor();
  };
  /** Types the phone's registration code into the portal; `confirm`: the device whose code the OTP rule asks for. */
  const enroll = async (phone: Phone, confirm?: Phone): Promise<void> => {
    await portal.fill('#registration-code', await phone.registrationCode());
    await portal.getByRole('button', { name: 'Registrar' }).click();
    if (confirm !== undefined) await confirmWith(confirm);
    await noticeSays(/^App registrada/u);
  };

  it('the core and device bundles load in the page with no node: module and no polyfill', async () => {
    const texts = await Promise.all(['/assets/softtoken.js', '/assets/softtoken-device.js'].map(async (path) => (await fetch(`${world.service.url}${path}`)).text()));
    for (const text of texts) expect(text).not.toMatch(/(?:from\s*|import\s*\(\s*|require\s*\(\s*)["']node:/u);
    // A string, so that the test runner's transform leaves the page's own import() alone.
    const inPage: unknown = await portal.evaluate(`(async () => {
      const core = await import('/assets/softtoken.js');
      const device = await import('/assets/softtoken-device.js');
      return {
        // RFC 6238's first SHA-1 vector, computed in the page.
        rfc6238: core.totp(new TextEncoder().encode('12345678901234567890'), 59000, { digits: 8 }),
        createSdk: typeof core.createSdk,
        device: [typeof device.activateDevice, typeof device.parseActivationPayload],
        polyfills: ['process', 'Buffer', 'require', 'global', 'setImmediate'].filter((name) => globalThis[name] !== undefined),
      };
    })()`);
    expect(inPage).toEqual({ rfc6238: '94287082', createSdk: 'function', device: ['function', 'function'], polyfills: [] });
  });

  it('Banco de Occidente: the admin assigns and confirms tokens, users enroll their phones, activation disables the hardware token', async () => {
    const admin = await world.phone();
    phones.set(ADMIN, admin);
    await world.open(ADMIN, 'token-virtual');
    expect(await portal.locator('#quota').textContent()).toBe('Cupo de SoftTokens: 5 en total, 5 disponibles');
    expect(await statusOf(PHYSICAL_SERIAL)).toBe('Activo (físico)');

    // The admin's own token first: not enrolled yet, so nothing asks for a code; the QR code is scanned.
    const own = await assign('adqd1');
    expect(await statusOf(own)).toBe('Pendiente de confirmación');
    await tokenAction('Confirmar', own);
    await noticeSays(/^Confirmar la asignación .*: hecho/u);
    await portal.locator('#activation-qr').waitFor();
    await world.screenshot('occidente-1-own-token-activation-qr');
    await activatePhone(admin, 'scanned');
    await world.screenshot('occidente-2-admin-phone', { page: admin.page, docs: true });
    await world.open(ADMIN, 'mantenimiento');
    await enroll(admin);
    await world.open(ADMIN, 'token-virtual');
    await tokenAction('Activar', own);
    await noticeSays(/^Activar el token .*: hecho/u);
    expect(await statusOf(own)).toBe('Activo');

    // Asignar for VictorP1 and LuciaG2; each confirmation asks for the admin's code.
    const victor = await assign('victorp1');
    const lucia = await assign('luciag2');
    serials.set(VICTOR, victor).set(LUCIA, lucia).set(ADMIN, own);
    await tokenAction('Confirmar', victor);
    await confirmWith('000000');
    expect(await errorSays('OTP_REJECTED')).not.toContain('000000');
    await tokenAction('Confirmar', victor);
    await confirmWith(admin);
    await noticeSays(/se envió al teléfono del usuario/u);
    await tokenAction('Confirmar', lucia);
    await confirmWith(admin);
    await noticeSays(/se envió al teléfono del usuario/u);
    expect([await statusOf(victor), await statusOf(lucia)]).toEqual(['Asignado', 'Asignado']);

    // Each user reads the code the bank sent to their phone, types it into the app, and registers the app;
    // VictorP1 holds a hardware token, so the OTP rule asks him for its code (8.2 of the manual).
    const keyfob = await world.keyfob();
    for (const user of [VICTOR, LUCIA]) {
      const phone = await world.phone();
      phones.set(user, phone);
      await world.open(user, 'mantenimiento');
      await portal.getByRole('button', { name: /Ver el código de activación/u }).click();
      await portal.locator('#activation-code').waitFor();
      await activatePhone(phone, 'typed');
      await enroll(phone, user === VICTOR ? keyfob : undefined);
      expect(await portal.locator('#my-token .status').textContent()).toBe('Pendiente Activación');
    }

    // "Pendiente Activación": the admin activates each with a fresh code; VictorP1's hardware token is disabled in the same commit.
    await world.open(ADMIN, 'token-virtual');
    await tokenAction('Activar', victor);
    await confirmWith(admin);
    await noticeSays(new RegExp(`El token físico ${PHYSICAL_SERIAL} quedó inhabilitado`, 'u'));
    await tokenAction('Activar', lucia);
    await confirmWith(admin);
    await noticeSays(/^Activar el token .*: hecho/u);
    const rows = await Promise.all((await portal.locator('tbody tr').all()).map(async (row) => (await row.locator('td').allTextContents()).slice(0, 4).filter((_, index) => index !== 2)));
    expect(rows).toEqual([
      ['ADQD1', own, 'Activo'],
      ['LuciaG2', lucia, 'Activo'],
      ['VictorP1', PHYSICAL_SERIAL, 'Inhabilitado (físico)'],
      ['VictorP1', victor, 'Activo'],
    ].sort((left, right) => `${left[0]}${left[1]}`.localeCompare(`${right[0]}${right[1]}`)));
    expect(await portal.locator('#quota').textContent()).toBe('Cupo de SoftTokens: 5 en total, 2 disponibles');
    expect(await portal.locator('.paging .summary').textContent()).toBe('Mostrando 1 a 4 de 4');
    await world.screenshot('token-virtual', { docs: true });

    // The hardware token's codes stop working; the app's work.
    await world.open(VICTOR, 'mantenimiento');
    await world.nextStep();
    await portal.fill('#verify-code', await keyfob.code());
    await portal.getByRole('button', { name: 'Probar' }).click();
    await errorSays('OTP_REJECTED');
    await portal.fill('#verify-code', await phones.get(VICTOR)!.code());
    await portal.getByRole('button', { name: 'Probar' }).click();
    await noticeSays(/^Código aceptado/u);
  });

  it('Banco Internacional: self-service, registration code, security question; wrong codes lock the token and the bank unlocks it', async () => {
    const maria = await world.phone();
    phones.set(MARIA, maria);
    await world.open(MARIA, 'mantenimiento');
    await portal.getByRole('button', { name: 'Activar' }).click();
    await portal.locator('#activation-qr').waitFor();
    const serial = (await portal.locator('#activation-serial').textContent()) ?? '';
    serials.set(MARIA, serial);
    await world.screenshot('mantenimiento-softtoken', { docs: true });
    await activatePhone(maria, 'scanned');
    await enroll(maria);

    await portal.fill('#security-answer', 'Guayaquil');
    await portal.getByRole('button', { name: 'Activar' }).click();
    expect(await errorSays('FORBIDDEN')).not.toContain('Guayaquil');
    await portal.fill('#security-answer', ' quito ');
    await portal.getByRole('button', { name: 'Activar' }).click();
    await noticeSays(/^Token \w+ activo/u);
    expect(await portal.locator('#my-token .status').textContent()).toBe('Activo');

    // On a phone-sized screen the page reads without sideways scrolling (tables scroll in their own box).
    await portal.setViewportSize({ width: 375, height: 740 });
    await world.open(ADMIN, 'token-virtual');
    expect(await portal.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await world.screenshot('token-virtual-phone-size');
    await portal.setViewportSize({ width: 1100, height: 760 });
    await world.open(MARIA, 'mantenimiento');

    await world.nextStep();
    await portal.fill('#verify-code', await maria.code());
    await portal.getByRole('button', { name: 'Probar' }).click();
    await noticeSays(/^Código aceptado/u);

    // Five wrong codes lock the token (the company's policy); then even the right code is refused.
    for (let attempt = 1; attempt <= 5; attempt++) {
      await world.nextStep();
      const right = await maria.code();
      await portal.fill('#verify-code', right === '111111' ? '222222' : '111111');
      await portal.getByRole('button', { name: 'Probar' }).click();
      await errorSays('OTP_REJECTED');
    }
    await world.nextStep();
    await portal.fill('#verify-code', await maria.code());
    await portal.getByRole('button', { name: 'Probar' }).click();
    await errorSays('TOKEN_LOCKED');
    await world.open(MARIA, 'mantenimiento');
    expect(await portal.locator('#my-token .status').textContent()).toBe('Activo, bloqueado');
    await world.screenshot('internacional-locked');

    // The bank's help desk unlocks it from the Token Virtual page of the company.
    await world.open(BANK, 'token-virtual');
    await portal.selectOption('#company', 'internacional-ec');
    await portal.getByRole('button', { name: 'Ver' }).click();
    await portal.locator(`tr[data-serial="${serial}"]`).waitFor();
    await tokenAction('Desbloquear', serial);
    await noticeSays(/^Desbloquear el token .*: hecho/u);
    expect(await statusOf(serial)).toBe('Activo');
  });

  it('Administración de Órdenes: a duplicate deleted, three levels approved in batches with one code each, one order revoked', async () => {
    const select = async (...orderIds: string[]): Promise<void> => {
      for (const orderId of orderIds) await portal.check(`tr[data-order="${orderId}"] input[type="checkbox"]`);
    };
    const showView = async (view: string): Promise<void> => {
      await portal.selectOption('#order-view', view);
      await unready(portal);
      await portal.getByRole('button', { name: 'Buscar', exact: true }).click();
      await portal.locator('.summary').waitFor();
    };
    const orderStatus = async (orderId: string): Promise<string> => (await portal.locator(`tr[data-order="${orderId}"] td.status`).textContent()) ?? '';

    await world.open(ADMIN, 'ordenes');
    await showView('delete');
    expect(await portal.locator('tr[data-order="ORD-0003"]').textContent()).toContain('posible duplicado de ORD-0001');
    await select('ORD-0003');
    await portal.getByRole('button', { name: 'Eliminar' }).click();
    await confirmWith(phones.get(ADMIN)!);
    await noticeSays(/^Eliminada: ORD-0003/u);

    for (const [approver, level] of [[VICTOR, 1], [LUCIA, 2], [ADMIN, 3]] as const) {
      await world.open(approver, 'ordenes');
      await showView('approve');
      await select('ORD-0001', 'ORD-0002');
      await portal.getByRole('button', { name: 'Aprobar' }).click();
      await confirmWith(phones.get(approver)!);
      const text = await noticeSays(/^Aprobar: /u);
      expect(text).toContain(`ORD-0001 nivel ${String(level)} → `);
      expect(text).toContain(`ORD-0002 nivel ${String(level)} → `);
    }
    await showView('revoke');
    expect(await orderStatus('ORD-0001')).toBe('Aprobada');
    await world.screenshot('ordenes-aprobadas');

    await world.open(VICTOR, 'ordenes');
    await showView('revoke');
    await select('ORD-0002');
    await portal.getByRole('button', { name: 'Revocar' }).click();
    await confirmWith(phones.get(VICTOR)!);
    await noticeSays(/^Revocar: ORD-0002 .*Revocada/u);

    await showView('search');
    expect([await orderStatus('ORD-0001'), await orderStatus('ORD-0002'), await orderStatus('ORD-0003')]).toEqual(['Aprobada', 'Revocada', 'Eliminada']);
    const approvals = await portal.locator('tr[data-order="ORD-0001"] td.approvals li').allTextContents();
    expect(approvals.map((line) => line.replace(/ · \d{4}-.*$/u, ''))).toEqual(['Nivel 1 · VictorP1', 'Nivel 2 · LuciaG2', 'Nivel 3 · ADQD1']);
    expect(await portal.locator('.paging.summary').textContent()).toMatch(/^Mostrando 1 a 3 de 3 · 241 transacciones · USD 91,700\.00$/u);
    await world.screenshot('administracion-de-ordenes', { docs: true });

    await world.open(ADMIN, 'auditoria');
    const actions = await portal.locator('tbody tr td:nth-child(4)').allTextContents();
    expect(actions).toEqual(expect.arrayContaining(['ApproveOrders', 'RevokeOrders', 'DeleteOrder', 'ActivateToken', 'EnrollDevice']));
    await world.screenshot('auditoria', { docs: true });
  });

  it('an expired activation code: the page shows the SDK\'s message', async () => {
    await world.open(ADMIN, 'token-virtual');
    const serial = await assign('pedror3');
    await tokenAction('Confirmar', serial);
    await confirmWith(phones.get(ADMIN)!);
    await noticeSays(/se envió al teléfono del usuario/u);
    const pedro = await world.phone();
    await world.open(PEDRO, 'mantenimiento');
    await portal.getByRole('button', { name: /Ver el código de activación/u }).click();
    await portal.locator('#activation-code').waitFor();
    await activatePhone(pedro, 'typed');
    // Three days later (the default lifetime is 72 hours) the code has expired.
    await world.nextStep(73 * 3600 * 1000);
    await world.open(PEDRO, 'mantenimiento');
    await portal.fill('#registration-code', await pedro.registrationCode());
    await portal.getByRole('button', { name: 'Registrar' }).click();
    await errorSays('ACTIVATION_CODE_EXPIRED');
    await world.screenshot('expired-activation-code');
  });
});
