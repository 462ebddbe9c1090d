// The portal's pages: plain DOM, the example service's JSON API, and the SDK's core bundle (for
// the activation QR code). Every answer of the API is shown as it came: an SDK error by its
// message, never a stack trace or a blank. Text from the API only ever enters the page as text.
import { activationQr } from '/assets/softtoken.js';

const STATUS = {
  pending: 'Pendiente de confirmación',
  assigned: 'Asignado',
  'pending-activation': 'Pendiente Activación',
  active: 'Activo',
  deleted: 'Eliminado',
  disabled: 'Inhabilitado',
};
const ORDER_STATUS = {
  'pending-approval': 'Pendiente de aprobación',
  approved: 'Aprobada',
  executed: 'Ejecutada',
  revoked: 'Revocada',
  deleted: 'Eliminada',
};
const PAGES = {
  'token-virtual': 'Token Virtual',
  mantenimiento: 'Mantenimiento SoftToken',
  ordenes: 'Administración de Órdenes',
  auditoria: 'Auditoría',
};

const state = { people: [], companies: [], actor: '', tokenPage: 1, auditPage: 1, orders: { view: 'search', serviceId: 'PAGOS', status: '', page: 1 }, company: '' };

// ---------- the page's small toolkit ----------

/** An element with attributes and children (strings become text nodes, never HTML). */
const h = (tag, attributes = {}, ...children) => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false || value === null) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null && child !== false) element.append(child instanceof Node ? child : String(child));
  return element;
};

const main = () => document.getElementById('main');
/** The signed-in person of a company; undefined for the bank's operator. */
const me = () => state.people.find((person) => person.actor === state.actor && person.companyId !== undefined);
const nameOf = (companyId, userId) => state.people.find((person) => person.companyId === companyId && person.userId === userId)?.label.split(' · ')[0].replace(' (administrador)', '') ?? userId;
const when = (iso) => (typeof iso === 'string' ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '—');
const grouped = (decimal) => {
  const [whole, fraction] = decimal.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/gu, ',')}${fraction === undefined ? '' : `.${fraction}`}`;
};

const notice = (text) => {
  document.getElementById('notice').textContent = text;
};
const clearMessages = () => {
  notice('');
  const error = document.getElementById('error');
  error.hidden = true;
  error.textContent = '';
};
/** Shows an error of the API: the SDK's message, and its stable code for support. */
const showError = (error) => {
  const element = document.getElementById('error');
  const message = typeof error?.message === 'string' && error.message !== '' ? error.message : 'el servicio no respondió';
  const issues = Array.isArray(error?.issues) ? error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ') : '';
  element.textContent = `No se pudo completar: ${message}${issues === '' ? '' : ` (${issues})`}${typeof error?.code === 'string' ? ` [${error.code}]` : ''}`;
  element.hidden = false;
  element.focus?.();
};

class ApiError extends Error {
  constructor(error) {
    super(typeof error?.message === 'string' ? error.message : 'unknown');
    this.error = error;
  }
}

/** Calls the API as the chosen person; resolves with the JSON body, rejects with an ApiError carrying the body's error. */
const api = async (path, command) => {
  let response;
  try {
    response = await fetch(path, {
      method: command === undefined ? 'GET' : 'POST',
      headers: { 'x-demo-actor': state.actor, ...(command === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(command === undefined ? {} : { body: JSON.stringify(command) }),
    });
  } catch {
    throw new ApiError({ message: 'no hay conexión con el servicio' });
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError({ message: `el servicio respondió ${response.status} sin datos` });
  }
  if (!response.ok) throw new ApiError(body?.error ?? { message: `el servicio respondió ${response.status}` });
  return body;
};

/** Asks for a code from the signed-in person's SoftToken; null when they cancel. */
const askCode = (reason) =>
  new Promise((resolve) => {
    const dialog = document.getElementById('otp-dialog');
    const input = document.getElementById('otp-input');
    document.getElementById('otp-reason').textContent = reason;
    input.value = '';
    dialog.returnValue = '';
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok' ? input.value.trim() : null), { once: true });
    dialog.showModal();
    input.focus();
  });

/**
 * Sends a command. When the SDK answers OTP_REQUIRED (its OTP rule applies to this person and
 * command), asks for a code and sends it again with the code. Resolves with the command's output,
 * or undefined after showing why it failed.
 */
const send = async (command, what) => {
  clearMessages();
  const post = (extra) => api('/commands', { commandId: crypto.randomUUID(), ...command, ...extra });
  try {
    try {
      return (await post({})).output;
    } catch (failure) {
      if (!(failure instanceof ApiError) || failure.error?.code !== 'OTP_REQUIRED') throw failure;
      const otp = await askCode(`${what}: escriba el código que muestra su app SoftToken ahora.`);
      if (otp === null) {
        notice('Cancelado: no se envió nada.');
        return undefined;
      }
      return (await post({ otp })).output;
    }
  } catch (failure) {
    showError(failure instanceof ApiError ? failure.error : { message: 'error inesperado en la página' });
    return undefined;
  }
};

/** Reads a view; shows the error and resolves undefined when refused. */
const read = async (path) => {
  try {
    return await api(path);
  } catch (failure) {
    showError(failure instanceof ApiError ? failure.error : { message: 'error inesperado en la página' });
    return undefined;
  }
};

const table = (caption, headers, rows) =>
  h('div', { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: 0 },
    h('table', {}, h('caption', { class: 'visually-hidden' }, caption), h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col' }, header)))), h('tbody', {}, rows)));

const pager = (paging, onPage) =>
  h('div', { class: 'paging' },
    h('p', { class: 'summary' }, `Mostrando ${paging.from} a ${paging.to} de ${paging.total}`),
    paging.from > 1 ? h('button', { type: 'button', class: 'secondary', onclick: () => onPage(-1) }, 'Anterior') : null,
    paging.to < paging.total ? h('button', { type: 'button', class: 'secondary', onclick: () => onPage(1) }, 'Siguiente') : null);

/** The serial, the activation code and its QR code, for the token's owner only, once. */
const activationPanel = (serial, activation) => {
  const qr = activationQr({ serial, activationCode: activation.activationCode, otpParameters: activation.otpParameters });
  const image = qr._tag === 'Right' ? h('img', { src: `data:image/svg+xml;base64,${btoa(qr.right.svg)}`, alt: `Código QR de activación del token ${serial}`, id: 'activation-qr' }) : h('p', {}, 'No se pudo dibujar el código QR.');
  return h('section', { class: 'activation', 'aria-labelledby': 'activation-title' },
    image,
    h('div', {},
      h('h3', { id: 'activation-title' }, 'Active su SoftToken en la app'),
      h('p', {}, 'Escanee el código QR con la app, o escriba el serial y el código de activación. Se muestran solo esta vez.'),
      h('dl', {},
        h('dt', {}, 'Serial'), h('dd', { class: 'code', id: 'activation-serial' }, serial),
        h('dt', {}, 'Código de activación'), h('dd', { class: 'code', id: 'activation-code' }, activation.activationCode),
        h('dt', {}, 'Válido hasta'), h('dd', {}, when(activation.activationCodeExpiresAt ?? activation.expiresAt)))));
};

const statusText = (row) => `${STATUS[row.status] ?? row.status}${row.kind === 'physical' ? ' (físico)' : ''}${row.locked ? ', bloqueado' : ''}`;

// ---------- Token Virtual (the company admin; the bank) ----------

const companyOfPage = () => me()?.companyId ?? (state.company || state.companies[0]);

const renderTokenVirtual = async (extra) => {
  const companyId = companyOfPage();
  const page = await read(`/companies/${encodeURIComponent(companyId)}/tokens?includeDeleted=true&pageSize=10&page=${state.tokenPage}`);
  const content = [h('h2', { id: 'page-title' }, `Token Virtual · ${companyId}`)];
  if (me() === undefined) {
    content.push(h('form', { class: 'inline', onsubmit: (event) => { event.preventDefault(); state.company = event.target.company.value; state.tokenPage = 1; void render(); } },
      h('div', {}, h('label', { for: 'company' }, 'Empresa'), h('select', { id: 'company', name: 'company' }, state.companies.map((id) => h('option', { value: id, selected: id === companyId }, id)))),
      h('button', { type: 'submit' }, 'Ver')));
  }
  if (extra !== undefined) content.push(extra);
  if (page !== undefined) {
    content.push(h('p', { class: 'quota', id: 'quota' }, `Cupo de SoftTokens: ${page.quota.total} en total, ${page.quota.available} disponibles`));
    const users = state.people.filter((person) => person.companyId === companyId);
    content.push(h('form', { class: 'inline', 'aria-label': 'Asignar Token Virtual', onsubmit: (event) => { event.preventDefault(); void assign(event.target.user.value); } },
      h('div', {}, h('label', { for: 'assign-user' }, 'Usuario'), h('select', { id: 'assign-user', name: 'user' }, users.map((person) => h('option', { value: person.userId }, person.label.split(' · ')[0])))),
      h('button', { type: 'submit' }, 'Asignar')));
    const action = (label, row, run) => h('button', { type: 'button', class: 'secondary', 'aria-label': `${label} ${row.serial}`, onclick: run }, label);
    const rows = page.rows.map((row) =>
      h('tr', { 'data-serial': row.serial },
        h('td', {}, row.userName),
        h('td', { class: 'code' }, row.serial),
        h('td', {}, when(row.lastUpdate)),
        h('td', { class: 'status' }, statusText(row)),
        h('td', {}, h('div', { class: 'actions' },
          row.status === 'pending' ? action('Confirmar', row, () => tokenCommand('ConfirmTokenAssignment', row.serial, 'Confirmar la asignación')) : null,
          row.status === 'pending-activation' ? action('Activar', row, () => tokenCommand('ActivateToken', row.serial, 'Activar el token')) : null,
          row.locked ? action('Desbloquear', row, () => tokenCommand('UnlockToken', row.serial, 'Desbloquear el token')) : null,
          row.status !== 'deleted' && row.status !== 'disabled' ? action('Eliminar', row, () => tokenCommand('DeleteToken', row.serial, 'Eliminar el token')) : null))));
    content.push(table('Tokens de la empresa', ['Usuario', 'Serial', 'Última actualización', 'Estado', 'Acciones'], rows));
    content.push(pager(page.paging, (step) => { state.tokenPage += step; void render(); }));
  }
  main().replaceChildren(...content);
};

const assign = async (userId) => {
  const output = await send({ type: 'RequestTokenAssignment', userId }, 'Asignar un token');
  if (output === undefined) return;
  notice(`Token ${output.serial} asignado: ${STATUS[output.status] ?? output.status}.`);
  await renderTokenVirtual(output.activation?.activationCode === undefined ? undefined : activationPanel(output.serial, output.activation));
};

const tokenCommand = async (type, serial, what) => {
  const output = await send({ type, serial }, `${what} ${serial}`);
  if (output === undefined) return;
  const disabled = output.disabledPhysicalToken === undefined || output.disabledPhysicalToken === null ? '' : ` El token físico ${output.disabledPhysicalToken} quedó inhabilitado.`;
  const delivered = output.activation?.codeDelivery === 'sent-to-owner' ? ' El código de activación se envió al teléfono del usuario.' : '';
  notice(`${what} ${serial}: hecho.${delivered}${disabled}`);
  await renderTokenVirtual(output.activation?.activationCode === undefined ? undefined : activationPanel(serial, output.activation));
};

// ---------- Mantenimiento SoftToken (the user's own token) ----------

const renderMaintenance = async (extra) => {
  const person = me();
  const content = [h('h2', { id: 'page-title' }, 'Mantenimiento SoftToken')];
  if (person === undefined) {
    main().replaceChildren(...content, h('p', {}, 'Esta página es de un usuario de una empresa: elija uno arriba.'));
    return;
  }
  const page = await read(`/companies/${encodeURIComponent(person.companyId)}/tokens?pageSize=100`);
  if (extra !== undefined) content.push(extra);
  const token = page?.rows.find((row) => row.userId === person.userId && row.kind === 'soft');
  if (page !== undefined && token === undefined) {
    content.push(h('p', {}, 'No tiene un SoftToken.'), h('button', { type: 'button', id: 'self-activate', onclick: () => void selfService() }, 'Activar'));
  }
  if (token !== undefined) {
    content.push(h('dl', { id: 'my-token' }, h('dt', {}, 'Serial'), h('dd', { class: 'code' }, token.serial), h('dt', {}, 'Estado'), h('dd', { class: 'status' }, statusText(token)), h('dt', {}, 'Última actualización'), h('dd', {}, when(token.lastUpdate))));
    if (token.status === 'pending') content.push(h('p', {}, 'Su administrador debe confirmar la asignación.'));
    if (token.status === 'assigned') {
      content.push(
        h('button', { type: 'button', class: 'secondary', onclick: () => void showDelivered(token.serial) }, 'Ver el código de activación recibido por SMS (simulado)'),
        h('form', { class: 'inline', 'aria-label': 'Registrar la app', onsubmit: (event) => { event.preventDefault(); void enroll(token.serial, event.target.registration.value); } },
          h('div', {}, h('label', { for: 'registration-code' }, 'Código de registro (lo muestra la app)'), h('input', { id: 'registration-code', name: 'registration', inputmode: 'numeric', autocomplete: 'off', required: true })),
          h('button', { type: 'submit' }, 'Registrar')));
    }
    if (token.status === 'pending-activation') {
      content.push(h('form', { class: 'inline', 'aria-label': 'Activar el token', onsubmit: (event) => { event.preventDefault(); void activate(token.serial, event.target.answer.value); } },
        h('div', {}, h('label', { for: 'security-answer' }, 'Respuesta a su pregunta de seguridad'), h('input', { id: 'security-answer', name: 'answer', autocomplete: 'off' })),
        h('button', { type: 'submit' }, 'Activar')));
    }
    if (token.status === 'active') {
      content.push(h('form', { class: 'inline', 'aria-label': 'Probar un código', onsubmit: (event) => { event.preventDefault(); void verify(event.target.otp.value); } },
        h('div', {}, h('label', { for: 'verify-code' }, 'Probar un código de la app'), h('input', { id: 'verify-code', name: 'otp', inputmode: 'numeric', autocomplete: 'one-time-code', required: true })),
        h('button', { type: 'submit' }, 'Probar')));
    }
  }
  main().replaceChildren(...content);
};

const selfService = async () => {
  const output = await send({ type: 'RequestTokenAssignment' }, 'Activar un SoftToken');
  if (output === undefined) return;
  notice(`Token ${output.serial}: ${STATUS[output.status] ?? output.status}.`);
  await renderMaintenance(output.activation?.activationCode === undefined ? undefined : activationPanel(output.serial, output.activation));
};

const showDelivered = async (serial) => {
  clearMessages();
  const message = await read(`/phone/activation-codes/${encodeURIComponent(serial)}`);
  if (message !== undefined) await renderMaintenance(activationPanel(serial, message));
};

const enroll = async (serial, registrationCode) => {
  const output = await send({ type: 'EnrollDevice', serial, registrationCode }, 'Registrar la app');
  if (output === undefined) return;
  notice(`App registrada: el token ${serial} está ${STATUS[output.status] ?? output.status}.`);
  await renderMaintenance();
};

const activate = async (serial, answer) => {
  const output = await send({ type: 'ActivateToken', serial, ...(answer.trim() === '' ? {} : { securityAnswer: answer }) }, 'Activar el token');
  if (output === undefined) return;
  notice(`Token ${serial} activo: la app ya genera sus códigos.`);
  await renderMaintenance();
};

const verify = async (otp) => {
  const output = await send({ type: 'VerifyOtp', otp }, 'Probar un código');
  if (output !== undefined) notice('Código aceptado.');
};

// ---------- Administración de Órdenes ----------

const renderOrders = async () => {
  const person = me();
  const companyId = companyOfPage();
  const { view, serviceId, status, page } = state.orders;
  const query = new URLSearchParams({ view, serviceId, page: String(page), pageSize: '10' });
  if (view === 'search' && status !== '') query.set('status', status);
  if (view === 'approve' && person !== undefined) query.set('approverId', person.userId);
  const result = await read(`/companies/${encodeURIComponent(companyId)}/orders?${query}`);
  const content = [
    h('h2', { id: 'page-title' }, `Administración de Órdenes · ${companyId}`),
    h('form', { class: 'inline', 'aria-label': 'Buscar órdenes', onsubmit: (event) => { event.preventDefault(); const form = event.target; state.orders = { view: form.view.value, serviceId: form.service.value, status: form.status.value, page: 1 }; void render(); } },
      h('div', {}, h('label', { for: 'order-view' }, 'Vista'), h('select', { id: 'order-view', name: 'view' }, Object.entries({ search: 'Buscar', delete: 'Eliminar', approve: 'Aprobar', revoke: 'Revocar' }).map(([value, label]) => h('option', { value, selected: value === view }, label)))),
      h('div', {}, h('label', { for: 'order-service' }, 'Servicio'), h('input', { id: 'order-service', name: 'service', value: serviceId, required: true })),
      h('div', {}, h('label', { for: 'order-status' }, 'Estado (Buscar)'), h('select', { id: 'order-status', name: 'status' }, h('option', { value: '' }, 'Todos'), Object.entries(ORDER_STATUS).map(([value, label]) => h('option', { value, selected: value === status }, label)))),
      h('button', { type: 'submit' }, 'Buscar')),
  ];
  if (result !== undefined) {
    const rows = result.rows.map((row) =>
      h('tr', { 'data-order': row.orderId },
        h('td', {}, h('input', { type: 'checkbox', name: 'order', value: row.orderId, 'aria-label': `Seleccionar ${row.orderId}` })),
        h('td', {}, row.orderId),
        h('td', {}, row.reference, row.possibleDuplicate ? h('div', { class: 'note' }, `posible duplicado de ${row.duplicateOf.join(', ')}`) : null),
        h('td', {}, String(row.transactionCount)),
        h('td', {}, `${row.currency} ${grouped(row.total)}`),
        h('td', { class: 'status' }, row.status === 'pending-approval' ? `${ORDER_STATUS[row.status]} (${row.approvals.length} de ${row.requiredLevels})` : (ORDER_STATUS[row.status] ?? row.status)),
        h('td', { class: 'approvals' }, row.approvals.length === 0 ? '—' : h('ul', {}, row.approvals.map((approval) => h('li', {}, `Nivel ${approval.level} · ${nameOf(companyId, approval.userId)} · ${when(approval.at)}`))))));
    const selected = () => [...main().querySelectorAll('input[name="order"]:checked')].map((box) => box.value);
    content.push(
      table('Órdenes', ['', 'Orden', 'Referencia', 'Transacciones', 'Total', 'Estado', 'Aprobaciones (nivel · por · cuándo)'], rows),
      h('p', { class: 'paging summary' }, `Mostrando ${result.from} a ${result.to} de ${result.count} · ${result.transactions} transacciones · ${Object.entries(result.totals).map(([currency, total]) => `${currency} ${grouped(total)}`).join(', ') || 'sin totales'}`),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', onclick: () => void orderCommand('ApproveOrders', selected(), 'Aprobar') }, 'Aprobar'),
        h('button', { type: 'button', class: 'secondary', onclick: () => void orderCommand('RevokeOrders', selected(), 'Revocar') }, 'Revocar'),
        h('button', { type: 'button', class: 'secondary', onclick: () => void deleteOrders(selected()) }, 'Eliminar')),
      pagerOf(result));
  }
  main().replaceChildren(...content);
};

const pagerOf = (result) => (result.pages > 1 ? pager({ from: result.from, to: result.to, total: result.count }, (step) => { state.orders.page += step; void render(); }) : h('span'));

const orderCommand = async (type, orderIds, what) => {
  if (orderIds.length === 0) {
    showError({ message: 'seleccione al menos una orden' });
    return;
  }
  const output = await send({ type, orderIds }, `${what} ${orderIds.join(', ')} con un solo código`);
  if (output === undefined) return;
  await renderOrders();
  notice(`${what}: ${output.orders.map((order) => `${order.orderId} ${order.level === undefined ? '' : `nivel ${order.level} → `}${ORDER_STATUS[order.status] ?? order.status}`).join('; ')}.`);
};

const deleteOrders = async (orderIds) => {
  if (orderIds.length !== 1) {
    showError({ message: 'seleccione una orden para eliminar' });
    return;
  }
  const output = await send({ type: 'DeleteOrder', orderId: orderIds[0] }, `Eliminar ${orderIds[0]}`);
  if (output === undefined) return;
  await renderOrders();
  notice(`Eliminada: ${orderIds[0]}.`);
};

// ---------- Auditoría ----------

const renderAudit = async () => {
  const person = me();
  const companyId = companyOfPage();
  const page = await read(`/audit?companyId=${encodeURIComponent(companyId)}&pageSize=20&page=${state.auditPage}`);
  const content = [h('h2', { id: 'page-title' }, `Auditoría · ${companyId}`), h('p', {}, 'Cada comando, el más reciente primero: quién, qué, con qué código se confirmó y cómo terminó.')];
  if (page !== undefined) {
    const who = (actor) => (actor.kind === 'user' ? nameOf(actor.companyId, actor.userId) : actor.kind === 'bank' ? `banco ${actor.operatorId}` : 'sistema');
    const rows = page.entries.map((entry) =>
      h('tr', {},
        h('td', {}, String(entry.position)),
        h('td', {}, when(entry.occurredAt)),
        h('td', {}, who(entry.actor)),
        h('td', {}, entry.action),
        h('td', {}, entry.factor.kind === 'otp' ? `código de ${entry.factor.serial}` : '—'),
        h('td', { class: 'status' }, entry.outcome === 'succeeded' ? 'correcto' : 'rechazado')));
    content.push(table('Registro de auditoría', ['#', 'Cuándo', 'Quién', 'Acción', 'Confirmado con', 'Resultado'], rows), pager(page.paging, (step) => { state.auditPage += step; void render(); }));
  }
  if (person === undefined) content.splice(1, 0, h('p', {}, 'Como operador del banco ve la empresa elegida en Token Virtual.'));
  main().replaceChildren(...content);
};

// ---------- navigation ----------

const render = async () => {
  const name = location.hash.slice(1) in PAGES ? location.hash.slice(1) : 'token-virtual';
  for (const link of document.querySelectorAll('nav a')) {
    if (link.getAttribute('href') === `#${name}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${PAGES[name]} · Portal de empresas`;
  const pages = { 'token-virtual': renderTokenVirtual, mantenimiento: renderMaintenance, ordenes: renderOrders, auditoria: renderAudit };
  await pages[name]();
  document.body.dataset.ready = name;
};

const start = async () => {
  const signIn = await fetch('/portal/sign-in.json').then((response) => response.json());
  state.people = signIn.people;
  state.companies = signIn.companies;
  const select = document.getElementById('actor');
  select.replaceChildren(...state.people.map((person) => h('option', { value: person.actor }, person.label)));
  const remembered = sessionStorage.getItem('demo-actor');
  state.actor = state.people.some((person) => person.actor === remembered) ? remembered : state.people[0].actor;
  select.value = state.actor;
  select.addEventListener('change', () => {
    state.actor = select.value;
    sessionStorage.setItem('demo-actor', state.actor);
    state.tokenPage = 1;
    state.auditPage = 1;
    clearMessages();
    void render();
  });
  window.addEventListener('hashchange', () => {
    clearMessages();
    void render().then(() => main().focus());
  });
  await render();
};

start().catch(() => showError({ message: 'la página no pudo cargar la lista de inicio de sesión' }));
