import * as assert from 'node:assert/strict';
import {
  hostOf,
  isLoopbackHost,
  isValidBaseUrl,
  needsInsecureConfirmation,
  originOf,
} from '../../../src/core/origin';

suite('core/origin', () => {
  suite('originOf', () => {
    test('drops path, query and default ports, lower-cases', () => {
      assert.equal(originOf('https://API.QHAIGC.net/v1/images?x=1'), 'https://api.qhaigc.net');
      assert.equal(originOf('https://api.example.com:443/v1'), 'https://api.example.com');
      assert.equal(originOf('http://api.example.com:80/v1'), 'http://api.example.com');
      assert.equal(originOf('HTTP://Example.com'), 'http://example.com');
    });

    test('keeps non-default ports, so origins differing only by port differ', () => {
      assert.equal(originOf('http://127.0.0.1:8080/v1'), 'http://127.0.0.1:8080');
      assert.notEqual(originOf('https://a.com:8443/'), originOf('https://a.com/'));
      assert.notEqual(originOf('http://a.com/'), originOf('https://a.com/'));
    });

    test('IPv6 and IDN hosts', () => {
      assert.equal(originOf('http://[::1]:3000/x'), 'http://[::1]:3000');
      assert.equal(originOf('https://例子.测试/v1'), 'https://xn--fsqu00a.xn--0zwm56d');
    });

    test('undefined for unparsable or host-less input', () => {
      assert.equal(originOf('not a url'), undefined);
      assert.equal(originOf(''), undefined);
      assert.equal(originOf('data:image/png;base64,AAAA'), undefined);
    });
  });

  suite('hostOf', () => {
    test('host with port', () => {
      assert.equal(hostOf('https://api.qhaigc.net/v1'), 'api.qhaigc.net');
      assert.equal(hostOf('http://localhost:8787/v1/'), 'localhost:8787');
      assert.equal(hostOf('https://x.com:443/'), 'x.com');
    });
    test('the input when unparsable', () => {
      assert.equal(hostOf('::nonsense::'), '::nonsense::');
    });
  });

  suite('isLoopbackHost', () => {
    for (const host of [
      'localhost',
      'LOCALHOST',
      'app.localhost',
      'localhost.',
      '127.0.0.1',
      '127.1.2.3',
      '127.255.255.255',
      '::1',
      '[::1]',
      '[::1]:8080',
      'localhost:3000',
      '127.0.0.1:80',
      '::ffff:127.0.0.1',
      '[::ffff:7f00:1]',
      '0:0:0:0:0:0:0:1',
    ]) {
      test(`loopback: ${host}`, () => assert.equal(isLoopbackHost(host), true));
    }
    for (const host of [
      'example.com',
      'localhost.example.com',
      'mylocalhost',
      '128.0.0.1',
      '10.0.0.1',
      '127.0.0',
      '127.0.0.256',
      '::2',
      '[::]',
      '0.0.0.0',
      '',
    ]) {
      test(`not loopback: ${JSON.stringify(host)}`, () => assert.equal(isLoopbackHost(host), false));
    }
  });

  suite('needsInsecureConfirmation', () => {
    test('plain http to a remote host needs confirmation', () => {
      assert.equal(needsInsecureConfirmation('http://api.example.com/v1'), true);
      assert.equal(needsInsecureConfirmation('http://192.168.1.5:8080/v1'), true);
    });
    test('https and loopback http do not', () => {
      assert.equal(needsInsecureConfirmation('https://api.example.com/v1'), false);
      assert.equal(needsInsecureConfirmation('http://localhost:8787/v1'), false);
      assert.equal(needsInsecureConfirmation('http://127.0.0.1:1234'), false);
      assert.equal(needsInsecureConfirmation('http://[::1]:1234/v1'), false);
    });
    test('invalid URLs are not asked about (isValidBaseUrl rejects them)', () => {
      assert.equal(needsInsecureConfirmation('http//broken'), false);
    });
  });

  suite('isValidBaseUrl', () => {
    test('absolute http(s) URLs', () => {
      assert.equal(isValidBaseUrl('https://api.qhaigc.net/v1'), true);
      assert.equal(isValidBaseUrl('http://localhost:8787/v1/'), true);
      assert.equal(isValidBaseUrl('  https://api.openai.com/v1  '), true);
    });
    test('everything else', () => {
      for (const url of [
        '',
        'api.qhaigc.net/v1',
        '/v1',
        'ftp://x.com/v1',
        'file:///c:/x',
        'javascript:alert(1)',
        'https://',
        'https://user:pw@api.x.com/v1',
      ]) {
        assert.equal(isValidBaseUrl(url), false, url);
      }
    });
  });
});
