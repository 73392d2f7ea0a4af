import { describe, expect, it } from 'vitest';
import {
  formatProblem,
  isViewTooLarge,
  validateMessageBlocks,
  validateOptionsResponse,
  validateView,
  validateViewErrors,
  type BlockKitProblem,
} from '../../../src/emulator/slack/block-kit-validator.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'section', text: mrkdwn(text), ...extra });
const button = (actionId: string, extra: Record<string, unknown> = {}) => ({ type: 'button', action_id: actionId, text: plain('Go'), ...extra });
const option = (value: string, text = value) => ({ text: plain(text), value });
const options = (n: number) => Array.from({ length: n }, (_, i) => option(`v${i}`));
const modal = (extra: Record<string, unknown> = {}) => ({ type: 'modal', title: plain('Check in'), blocks: [], ...extra });
const input = (blockId: string, element: Record<string, unknown>) => ({ type: 'input', block_id: blockId, label: plain('Value'), element });

const pointers = (problems: BlockKitProblem[]) => problems.map((p) => p.pointer);

describe('message blocks', () => {
  it('accepts a typical message', () => {
    const blocks = [
      { type: 'header', text: plain('Weekly check-in') },
      section('*Revenue* is at 40%', { accessory: button('open') }),
      { type: 'divider' },
      { type: 'context', elements: [mrkdwn('Due Friday'), { type: 'image', image_url: 'https://x/y.png', alt_text: 'icon' }] },
      { type: 'actions', elements: [button('checkin', { style: 'primary', value: 'kr-1' }), button('skip')] },
    ];
    expect(validateMessageBlocks(blocks)).toEqual([]);
  });

  it('allows 50 blocks in a message and rejects 51', () => {
    expect(validateMessageBlocks(Array.from({ length: 50 }, () => ({ type: 'divider' })))).toEqual([]);
    const problems = validateMessageBlocks(Array.from({ length: 51 }, () => ({ type: 'divider' })));
    expect(problems).toEqual([{ pointer: '/blocks', reason: 'no more than 50 items allowed' }]);
  });

  it('limits section text to 3000 characters and requires at least one', () => {
    expect(validateMessageBlocks([section('x'.repeat(3000))])).toEqual([]);
    expect(validateMessageBlocks([section('x'.repeat(3001))])).toEqual([
      { pointer: '/blocks/0/text/text', reason: 'must be less than 3001 characters' },
    ]);
    expect(pointers(validateMessageBlocks([section('')]))).toEqual(['/blocks/0/text/text']);
  });

  it('requires text or fields in a section', () => {
    expect(validateMessageBlocks([{ type: 'section' }])).toEqual([{ pointer: '/blocks/0', reason: 'must provide either text or fields' }]);
  });

  it('limits section fields to 10 items of 2000 characters', () => {
    const fields = (n: number, length = 5) => Array.from({ length: n }, () => mrkdwn('f'.repeat(length)));
    expect(validateMessageBlocks([{ type: 'section', fields: fields(10, 2000) }])).toEqual([]);
    expect(pointers(validateMessageBlocks([{ type: 'section', fields: fields(11) }]))).toEqual(['/blocks/0/fields']);
    expect(pointers(validateMessageBlocks([{ type: 'section', fields: [mrkdwn('a'), mrkdwn('b'.repeat(2001))] }]))).toEqual([
      '/blocks/0/fields/1/text',
    ]);
  });

  it('limits header text to 150 plain_text characters', () => {
    expect(validateMessageBlocks([{ type: 'header', text: plain('h'.repeat(150)) }])).toEqual([]);
    expect(pointers(validateMessageBlocks([{ type: 'header', text: plain('h'.repeat(151)) }]))).toEqual(['/blocks/0/text/text']);
    expect(pointers(validateMessageBlocks([{ type: 'header', text: mrkdwn('*bold*') }]))).toEqual(['/blocks/0/text/type']);
  });

  it('limits an actions block to 25 elements', () => {
    const elements = (n: number) => Array.from({ length: n }, (_, i) => button(`b${i}`));
    expect(validateMessageBlocks([{ type: 'actions', elements: elements(25) }])).toEqual([]);
    expect(pointers(validateMessageBlocks([{ type: 'actions', elements: elements(26) }]))).toEqual(['/blocks/0/elements']);
  });

  it('limits button text to 75 and value to 2000 characters', () => {
    expect(validateMessageBlocks([{ type: 'actions', elements: [button('a', { text: plain('t'.repeat(75)), value: 'v'.repeat(2000) })] }])).toEqual([]);
    const problems = validateMessageBlocks([{ type: 'actions', elements: [button('a', { text: plain('t'.repeat(76)), value: 'v'.repeat(2001) })] }]);
    expect(pointers(problems).sort()).toEqual(['/blocks/0/elements/0/text/text', '/blocks/0/elements/0/value']);
  });

  it('rejects a button style Slack does not know', () => {
    expect(pointers(validateMessageBlocks([{ type: 'actions', elements: [button('a', { style: 'secondary' })] }]))).toEqual([
      '/blocks/0/elements/0/style',
    ]);
  });

  it('limits an overflow menu to 5 options', () => {
    const overflow = (n: number) => ({ type: 'overflow', action_id: 'more', options: options(n) });
    expect(validateMessageBlocks([section('s', { accessory: overflow(5) })])).toEqual([]);
    expect(pointers(validateMessageBlocks([section('s', { accessory: overflow(6) })]))).toEqual(['/blocks/0/accessory/options']);
  });

  it('limits static_select to 100 options of 75 characters and 150-character values', () => {
    const select = (opts: unknown[]) => ({ type: 'actions', elements: [{ type: 'static_select', action_id: 'kr', options: opts }] });
    expect(validateMessageBlocks([select(options(100))])).toEqual([]);
    expect(pointers(validateMessageBlocks([select(options(101))]))).toEqual(['/blocks/0/elements/0/options']);
    expect(pointers(validateMessageBlocks([select([option('v', 'o'.repeat(76))])]))).toEqual(['/blocks/0/elements/0/options/0/text/text']);
    expect(pointers(validateMessageBlocks([select([option('v'.repeat(151), 'ok')])]))).toEqual(['/blocks/0/elements/0/options/0/value']);
  });

  it('requires initial_option to be one of the options', () => {
    const select = (initial: unknown) => ({
      type: 'actions',
      elements: [{ type: 'static_select', action_id: 'kr', options: [option('a'), option('b')], initial_option: initial }],
    });
    expect(validateMessageBlocks([select(option('b'))])).toEqual([]);
    expect(pointers(validateMessageBlocks([select(option('c'))]))).toEqual(['/blocks/0/elements/0/initial_option']);
  });

  it('rejects duplicate block_ids across the message', () => {
    const problems = validateMessageBlocks([section('a', { block_id: 'same' }), section('b', { block_id: 'same' })]);
    expect(pointers(problems)).toEqual(['/blocks/1/block_id']);
    expect(problems[0]?.reason).toContain('duplicate block_id `same`');
  });

  it('rejects duplicate action_ids within one block but allows them in different blocks (Slack scopes them per block)', () => {
    const dup = validateMessageBlocks([{ type: 'actions', elements: [button('go'), button('go')] }]);
    expect(pointers(dup)).toEqual(['/blocks/0/elements/1/action_id']);
    expect(validateMessageBlocks([{ type: 'actions', elements: [button('go')] }, { type: 'actions', elements: [button('go')] }])).toEqual([]);
  });

  it('rejects unknown block types and elements in the wrong place', () => {
    expect(validateMessageBlocks([{ type: 'carousel_of_doom' }])).toEqual([{ pointer: '/blocks/0/type', reason: 'unsupported block type `carousel_of_doom`' }]);
    expect(pointers(validateMessageBlocks([{ type: 'actions', elements: [{ type: 'plain_text_input', action_id: 'x' }] }]))).toEqual([
      '/blocks/0/elements/0/type',
    ]);
  });

  it('checks number_input bounds and integer-ness', () => {
    const number = (extra: Record<string, unknown>) => [input('value', { type: 'number_input', action_id: 'v', ...extra })];
    expect(validateMessageBlocks(number({ is_decimal_allowed: true, min_value: '0', max_value: '100', initial_value: '12.5' }))).toEqual([]);
    expect(pointers(validateMessageBlocks(number({ is_decimal_allowed: true, min_value: '10', max_value: '1' })))).toEqual(['/blocks/0/element/min_value']);
    expect(pointers(validateMessageBlocks(number({ is_decimal_allowed: true, max_value: '5', initial_value: '6' })))).toEqual([
      '/blocks/0/element/initial_value',
    ]);
    expect(pointers(validateMessageBlocks(number({ is_decimal_allowed: false, initial_value: '1.5' })))).toEqual(['/blocks/0/element/initial_value']);
    expect(pointers(validateMessageBlocks(number({})))).toEqual(['/blocks/0/element']);
    expect(pointers(validateMessageBlocks(number({ is_decimal_allowed: true, min_value: 'ten' })))).toEqual(['/blocks/0/element/min_value']);
  });

  it('refuses a number_input whose initial_value breaks its own constraints or is not plain digits', () => {
    const number = (extra: Record<string, unknown>) => [input('value', { type: 'number_input', action_id: 'v', ...extra })];
    // What a whole-number key result holding 38.5 used to produce.
    expect(pointers(validateMessageBlocks(number({ is_decimal_allowed: false, initial_value: '38.5' })))).toEqual(['/blocks/0/element/initial_value']);
    expect(pointers(validateMessageBlocks(number({ is_decimal_allowed: false, min_value: '0', initial_value: '-1' })))).toEqual(['/blocks/0/element/initial_value']);
    for (const initial of ['1e-7', '1e+21', ' 5', '5 ', '+5', 'NaN', 'Infinity', '0x1', '']) {
      expect(pointers(validateMessageBlocks(number({ is_decimal_allowed: true, initial_value: initial }))), initial).toEqual(['/blocks/0/element/initial_value']);
    }
    expect(validateMessageBlocks(number({ is_decimal_allowed: true, initial_value: '-0.5' }))).toEqual([]);
  });

  it('checks plain_text_input lengths', () => {
    const text = (extra: Record<string, unknown>) => [input('c', { type: 'plain_text_input', action_id: 'c', ...extra })];
    expect(validateMessageBlocks(text({ max_length: 3000, min_length: 0 }))).toEqual([]);
    expect(pointers(validateMessageBlocks(text({ max_length: 3001 })))).toEqual(['/blocks/0/element/max_length']);
    expect(pointers(validateMessageBlocks(text({ max_length: 3, initial_value: 'long' })))).toEqual(['/blocks/0/element/initial_value']);
  });

  it('rejects a blocks argument that is not an array', () => {
    expect(validateMessageBlocks({ type: 'divider' })).toEqual([{ pointer: '/blocks', reason: 'must be an array' }]);
  });
});

describe('views', () => {
  it('accepts a modal with inputs and a submit button', () => {
    const view = modal({
      submit: plain('Save'),
      close: plain('Cancel'),
      private_metadata: 'kr-1',
      callback_id: 'checkin',
      blocks: [input('value', { type: 'number_input', action_id: 'v', is_decimal_allowed: true })],
    });
    expect(validateView(view)).toEqual([]);
  });

  it('limits modal title, submit and close to 24 characters', () => {
    expect(validateView(modal({ title: plain('t'.repeat(24)), submit: plain('s'.repeat(24)), close: plain('c'.repeat(24)) }))).toEqual([]);
    const problems = validateView(modal({ title: plain('t'.repeat(25)), submit: plain('s'.repeat(25)), close: plain('c'.repeat(25)) }));
    expect(problems.map(formatProblem)).toEqual([
      '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
      '[ERROR] must be less than 25 characters [json-pointer:/view/submit/text]',
      '[ERROR] must be less than 25 characters [json-pointer:/view/close/text]',
    ]);
  });

  it('requires a title on modals', () => {
    expect(validateView({ type: 'modal', blocks: [] })).toEqual([{ pointer: '/view', reason: 'missing required field: title' }]);
  });

  it('requires submit when a modal has input blocks', () => {
    const problems = validateView(modal({ blocks: [input('c', { type: 'plain_text_input', action_id: 'c' })] }));
    expect(problems).toEqual([{ pointer: '/view', reason: 'must provide a submit property when using input blocks' }]);
  });

  it('allows 100 blocks in a modal or Home tab and rejects 101', () => {
    const blocks = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(validateView(modal({ blocks: blocks(100) }))).toEqual([]);
    expect(validateView({ type: 'home', blocks: blocks(100) })).toEqual([]);
    expect(pointers(validateView(modal({ blocks: blocks(101) })))).toEqual(['/view/blocks']);
    expect(pointers(validateView({ type: 'home', blocks: blocks(101) }))).toEqual(['/view/blocks']);
  });

  it('limits private_metadata to 3000 characters', () => {
    expect(validateView(modal({ private_metadata: 'm'.repeat(3000) }))).toEqual([]);
    expect(pointers(validateView(modal({ private_metadata: 'm'.repeat(3001) })))).toEqual(['/view/private_metadata']);
  });

  it('points at blocks inside the view', () => {
    expect(pointers(validateView({ type: 'home', blocks: [section('x'.repeat(3001))] }))).toEqual(['/view/blocks/0/text/text']);
  });

  it('rejects view types other than modal and home', () => {
    expect(pointers(validateView({ type: 'workflow_step', blocks: [] }))).toEqual(['/view/type']);
  });

  it('reports views over 250 kB as too large', () => {
    const blocks = Array.from({ length: 100 }, () => section('x'.repeat(2600)));
    expect(isViewTooLarge({ type: 'home', blocks })).toBe(true);
    expect(isViewTooLarge(modal({ blocks: [section('small')] }))).toBe(false);
  });
});

describe('app answers', () => {
  it('limits external select options to 100 with 75-character text', () => {
    expect(validateOptionsResponse({ options: options(100) })).toEqual([]);
    expect(pointers(validateOptionsResponse({ options: options(101) }))).toEqual(['/options']);
    expect(pointers(validateOptionsResponse({ options: [option('v', 'x'.repeat(76))] }))).toEqual(['/options/0/text/text']);
    expect(pointers(validateOptionsResponse({}))).toEqual(['/']);
  });

  it('accepts errors only for input blocks of the view', () => {
    const view = { blocks: [{ type: 'input', block_id: 'value' }, { type: 'section', block_id: 'info' }] };
    expect(validateViewErrors({ value: 'Too high' }, view)).toEqual([]);
    expect(pointers(validateViewErrors({ info: 'nope' }, view))).toEqual(['/errors/info']);
    expect(pointers(validateViewErrors({ value: '' }, view))).toEqual(['/errors/value']);
  });
});
