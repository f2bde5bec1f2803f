import { actionFor, messageIdFor, statusAfterFailure } from './send-decisions.js';

describe('send decisions', () => {
  it('never sends a message twice once it was accepted', () => {
    expect(actionFor('sent')).toBe('skip_sent');
    expect(actionFor('queued')).toBe('send');
    // A failed message runs again only when its job is retried by hand: then it is sent.
    expect(actionFor('failed')).toBe('send');
    expect(actionFor(undefined)).toBe('skip_missing');
  });

  it('keeps a message queued until its last attempt fails', () => {
    expect(statusAfterFailure(0, 3)).toBe('queued');
    expect(statusAfterFailure(1, 3)).toBe('queued');
    expect(statusAfterFailure(2, 3)).toBe('failed');
    expect(statusAfterFailure(0, 1)).toBe('failed');
    // retried by hand after the last attempt: fails for good again
    expect(statusAfterFailure(3, 3)).toBe('failed');
  });

  it('derives a fixed RFC 5322 Message-ID from the message id', () => {
    expect(messageIdFor('abc')).toBe('<abc@scaleshop>');
  });
});
