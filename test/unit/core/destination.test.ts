import * as assert from 'node:assert/strict';
import type { DestinationContext } from '../../../src/core/destination';
import { resolveDestination } from '../../../src/core/destination';

const NOW = new Date(Date.UTC(2026, 10, 25, 10, 10, 10, 123));

const posix: DestinationContext = {
  documentPath: '/home/u/ws/docs/page.md',
  workspaceFolderPath: '/home/u/ws',
  fileName: 'a-cat-20261125-101010.png',
  now: NOW,
};

function resolved(template: string, ctx: DestinationContext = posix): string {
  const result = resolveDestination(template, ctx);
  assert.ok(result.ok, `${template}: ${JSON.stringify(result)}`);
  return result.value;
}

function problem(template: string, ctx: DestinationContext = posix): string {
  const result = resolveDestination(template, ctx);
  assert.ok(!result.ok, `${template} should fail but gave ${JSON.stringify(result)}`);
  return result.error;
}

suite('core/destination', () => {
  suite('defaults and relative templates', () => {
    test('the default images/${fileName} is next to the document', () => {
      assert.equal(resolved('images/${fileName}'), '/home/u/ws/docs/images/a-cat-20261125-101010.png');
    });
    test('a trailing / appends ${fileName}', () => {
      assert.equal(resolved('images/'), '/home/u/ws/docs/images/a-cat-20261125-101010.png');
      assert.equal(resolved('assets/img/'), '/home/u/ws/docs/assets/img/a-cat-20261125-101010.png');
    });
    test('a template ending in . or .. names a folder', () => {
      assert.equal(resolved('.'), '/home/u/ws/docs/a-cat-20261125-101010.png');
      assert.equal(resolved('..'), '/home/u/ws/a-cat-20261125-101010.png');
      assert.equal(resolved('img/.'), '/home/u/ws/docs/img/a-cat-20261125-101010.png');
    });
    test('.. inside the workspace is fine', () => {
      assert.equal(resolved('../images/'), '/home/u/ws/images/a-cat-20261125-101010.png');
      assert.equal(resolved('./a/../b/${fileName}'), '/home/u/ws/docs/b/a-cat-20261125-101010.png');
    });
    test('a fixed file name', () => {
      assert.equal(resolved('pics/cover.png'), '/home/u/ws/docs/pics/cover.png');
    });
  });

  suite('leading slash: workspace folder root', () => {
    test('with a workspace folder', () => {
      assert.equal(resolved('/assets/'), '/home/u/ws/assets/a-cat-20261125-101010.png');
      assert.equal(resolved('/'), '/home/u/ws/a-cat-20261125-101010.png');
    });
    test('without one: the document folder', () => {
      const ctx = { ...posix, workspaceFolderPath: undefined };
      assert.equal(resolved('/assets/', ctx), '/home/u/ws/docs/assets/a-cat-20261125-101010.png');
    });
  });

  suite('variables', () => {
    test('document variables', () => {
      assert.equal(
        resolved('img/${documentBaseName}/${fileName}'),
        '/home/u/ws/docs/img/page/a-cat-20261125-101010.png',
      );
      assert.equal(
        resolved('img/${documentFileName}-${documentExtName}/x.png'),
        '/home/u/ws/docs/img/page.md-md/x.png',
      );
    });
    test('file variables', () => {
      assert.equal(
        resolved('by-type/${fileExtName}/${fileName}'),
        '/home/u/ws/docs/by-type/png/a-cat-20261125-101010.png',
      );
    });
    test('time variables: unixTime in ms, isoTime without colons', () => {
      assert.equal(resolved('img/${unixTime}.${fileExtName}'), `/home/u/ws/docs/img/${NOW.getTime()}.png`);
      const iso = resolved('img/${isoTime}.png');
      assert.equal(iso, '/home/u/ws/docs/img/2026-11-25T10-10-10.123Z.png');
      assert.ok(!iso.includes(':'));
    });
    test('absolute folder variables are taken as absolute', () => {
      assert.equal(
        resolved('${documentWorkspaceFolder}/media/${fileName}'),
        '/home/u/ws/media/a-cat-20261125-101010.png',
      );
      assert.equal(resolved('${documentDirName}/img/'), '/home/u/ws/docs/img/a-cat-20261125-101010.png');
      assert.equal(
        resolved('ignored/${documentWorkspaceFolder}/m/'),
        '/home/u/ws/m/a-cat-20261125-101010.png',
      );
    });
    test('a folder variable at the end names a folder', () => {
      assert.equal(resolved('${documentDirName}'), '/home/u/ws/docs/a-cat-20261125-101010.png');
      assert.equal(resolved('${documentWorkspaceFolder}'), '/home/u/ws/a-cat-20261125-101010.png');
    });
    test('a folder variable glued to text is part of a name', () => {
      assert.equal(resolved('${documentDirName}-assets/x.png'), '/home/u/ws/docs-assets/x.png');
    });
    test('documentRelativeDirName mirrors the document tree', () => {
      const ctx = { ...posix, documentPath: '/home/u/ws/docs/guide/page.md' };
      assert.equal(
        resolved('/media/${documentRelativeDirName}/', ctx),
        '/home/u/ws/media/docs/guide/a-cat-20261125-101010.png',
      );
      const atRoot = { ...posix, documentPath: '/home/u/ws/README.md' };
      assert.equal(
        resolved('/media/${documentRelativeDirName}/', atRoot),
        '/home/u/ws/media/a-cat-20261125-101010.png',
      );
    });
    test('without a workspace folder, documentWorkspaceFolder is the document folder', () => {
      const ctx = { ...posix, workspaceFolderPath: undefined };
      assert.equal(
        resolved('${documentWorkspaceFolder}/img/', ctx),
        '/home/u/ws/docs/img/a-cat-20261125-101010.png',
      );
    });
    test('unknown variables are kept as written', () => {
      assert.equal(resolved('${nope}/${fileName}'), '/home/u/ws/docs/${nope}/a-cat-20261125-101010.png');
    });
    test('a value never introduces a separator or ..', () => {
      const ctx = { ...posix, fileName: '../../etc/passwd' };
      const out = resolved('img/${fileName}', ctx);
      assert.equal(out, '/home/u/ws/docs/img/....etcpasswd');
      const dots = { ...posix, fileName: '..' };
      assert.equal(resolved('img/${fileName}', dots), '/home/u/ws/docs/img/image');
    });
  });

  suite('sanitizing', () => {
    test('unsafe characters in segments are removed, . and .. kept', () => {
      assert.equal(resolved('im:ages/<x>|y?.png'), '/home/u/ws/docs/images/xy.png');
      assert.equal(resolved('a/../b*/c'), '/home/u/ws/docs/b/c');
    });
    test('reserved Windows names and trailing dots in folders', () => {
      assert.equal(resolved('con/aux.png'), '/home/u/ws/docs/con_/aux_.png');
      assert.equal(resolved('folder.../x.png'), '/home/u/ws/docs/folder/x.png');
    });
    test('spaces, parentheses, CJK and emoji survive', () => {
      assert.equal(
        resolved('我的 图片 (2026) 🐱/'),
        '/home/u/ws/docs/我的 图片 (2026) 🐱/a-cat-20261125-101010.png',
      );
    });
    test('repeated slashes collapse', () => {
      assert.equal(resolved('img//sub///'), '/home/u/ws/docs/img/sub/a-cat-20261125-101010.png');
    });
  });

  suite('confinement', () => {
    test('.. that leaves the workspace folder', () => {
      assert.equal(problem('../../outside/'), 'escapes');
      assert.equal(problem('../../../../../../etc/passwd'), 'escapes');
      assert.equal(problem('/../outside.png'), 'escapes');
    });
    test('.. that leaves the document folder when there is no workspace folder', () => {
      const ctx = { ...posix, workspaceFolderPath: undefined };
      assert.equal(problem('../images/', ctx), 'escapes');
      assert.equal(resolved('images/', ctx), '/home/u/ws/docs/images/a-cat-20261125-101010.png');
    });
    test('absolute paths elsewhere', () => {
      assert.equal(problem('C:/Windows/x.png'), 'escapes');
      assert.equal(problem('${documentWorkspaceFolder}/../x.png'), 'escapes');
    });
    test('a sibling folder sharing the prefix is outside', () => {
      const ctx = { ...posix, documentPath: '/home/u/ws/page.md' };
      assert.equal(problem('../ws2/x.png', ctx), 'escapes');
    });
    test('blank template or empty file name', () => {
      assert.equal(problem(''), 'empty');
      assert.equal(problem('   '), 'empty');
      assert.equal(problem('images/', { ...posix, fileName: '' }), 'empty');
    });
  });

  suite('Windows', () => {
    const win: DestinationContext = {
      documentPath: '/c:/Users/Zhang San/My Docs (2026)/笔记/page.md',
      workspaceFolderPath: '/c:/Users/Zhang San/My Docs (2026)',
      fileName: '一只猫-20261125-101010.png',
      now: NOW,
    };
    test('backslashes are separators', () => {
      assert.equal(
        resolved('images\\', win),
        '/c:/Users/Zhang San/My Docs (2026)/笔记/images/一只猫-20261125-101010.png',
      );
      assert.equal(
        resolved('\\assets\\${fileName}', win),
        '/c:/Users/Zhang San/My Docs (2026)/assets/一只猫-20261125-101010.png',
      );
      assert.equal(
        resolved('..\\images\\', win),
        '/c:/Users/Zhang San/My Docs (2026)/images/一只猫-20261125-101010.png',
      );
    });
    test('an absolute drive path inside the workspace is accepted, whatever the case', () => {
      assert.equal(
        resolved('C:\\users\\zhang san\\my docs (2026)\\pics\\', win),
        '/C:/users/zhang san/my docs (2026)/pics/一只猫-20261125-101010.png',
      );
    });
    test('another drive or above the workspace escapes', () => {
      assert.equal(problem('D:\\pics\\', win), 'escapes');
      assert.equal(problem('..\\..\\..\\x.png', win), 'escapes');
    });
    test('Windows-style context paths are accepted too', () => {
      const raw = {
        ...win,
        documentPath: 'C:\\Users\\Zhang San\\My Docs (2026)\\笔记\\page.md',
        workspaceFolderPath: 'C:\\Users\\Zhang San\\My Docs (2026)',
      };
      assert.equal(
        resolved('images/', raw),
        '/C:/Users/Zhang San/My Docs (2026)/笔记/images/一只猫-20261125-101010.png',
      );
    });
    test('the drive letter in a folder variable is not mangled by sanitizing', () => {
      assert.equal(
        resolved('${documentWorkspaceFolder}/media/', win),
        '/c:/Users/Zhang San/My Docs (2026)/media/一只猫-20261125-101010.png',
      );
    });
    test('a workspace at a drive root', () => {
      const root = { ...win, documentPath: '/d:/page.md', workspaceFolderPath: '/d:/' };
      assert.equal(resolved('/img/', root), '/d:/img/一只猫-20261125-101010.png');
      assert.equal(resolved('${documentWorkspaceFolder}/img/', root), '/d:/img/一只猫-20261125-101010.png');
    });
  });
});
