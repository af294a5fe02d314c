import * as assert from 'node:assert/strict';
import {
  basename,
  dirname,
  extname,
  fileUriFromPath,
  isInside,
  joinPath,
  normalizePath,
  relativeLink,
  toPosixPath,
} from '../../../src/core/paths';

suite('core/paths', () => {
  suite('toPosixPath', () => {
    test('Windows drive paths become Uri.path shapes', () => {
      assert.equal(toPosixPath('C:\\Users\\x\\a.md'), '/C:/Users/x/a.md');
      assert.equal(toPosixPath('c:/Users/x'), '/c:/Users/x');
      assert.equal(toPosixPath('D:'), '/D:');
    });
    test('UNC paths keep their double slash', () => {
      assert.equal(toPosixPath('\\\\server\\share\\docs\\a.md'), '//server/share/docs/a.md');
    });
    test('POSIX and Uri.path input is unchanged', () => {
      assert.equal(toPosixPath('/home/u/ws/a.md'), '/home/u/ws/a.md');
      assert.equal(toPosixPath('/c:/Users/x/a.md'), '/c:/Users/x/a.md');
      assert.equal(toPosixPath('images/a b (1).png'), 'images/a b (1).png');
    });
  });

  suite('normalizePath', () => {
    test('resolves . and .. and repeated slashes', () => {
      assert.equal(normalizePath('/home/u/ws/./docs/../images//a.png'), '/home/u/ws/images/a.png');
      assert.equal(normalizePath('/home/u/ws/docs/'), '/home/u/ws/docs');
      assert.equal(normalizePath('a/b/../../c'), 'c');
    });
    test('never climbs above a root', () => {
      assert.equal(normalizePath('/a/../../b'), '/b');
      assert.equal(normalizePath('/c:/x/../../..'), '/c:/');
      assert.equal(normalizePath('//server/share/a/../../..'), '//server/share/');
    });
    test('relative paths keep leading .. and become . when empty', () => {
      assert.equal(normalizePath('../../a'), '../../a');
      assert.equal(normalizePath('a/..'), '.');
      assert.equal(normalizePath(''), '.');
    });
    test('roots keep their slash', () => {
      assert.equal(normalizePath('/'), '/');
      assert.equal(normalizePath('///'), '/');
      assert.equal(normalizePath('/c:'), '/c:/');
      assert.equal(normalizePath('C:\\'), '/C:/');
    });
    test('Windows input with spaces, parentheses, CJK and emoji', () => {
      assert.equal(
        normalizePath('C:\\Users\\张三\\My Docs (old)\\..\\笔记 🐱\\a.md'),
        '/C:/Users/张三/笔记 🐱/a.md',
      );
    });
  });

  suite('dirname / basename / extname', () => {
    test('POSIX', () => {
      assert.equal(dirname('/home/u/ws/docs/a.md'), '/home/u/ws/docs');
      assert.equal(basename('/home/u/ws/docs/a.md'), 'a.md');
      assert.equal(extname('/home/u/ws/docs/a.md'), '.md');
    });
    test('Windows', () => {
      assert.equal(dirname('C:\\Users\\x\\a.md'), '/C:/Users/x');
      assert.equal(dirname('/c:/a.md'), '/c:/');
      assert.equal(basename('C:\\Users\\x\\图 片.PNG'), '图 片.PNG');
      assert.equal(extname('C:\\Users\\x\\图 片.PNG'), '.PNG');
    });
    test('roots and bare names', () => {
      assert.equal(dirname('/'), '/');
      assert.equal(dirname('/c:/'), '/c:/');
      assert.equal(dirname('a.md'), '.');
      assert.equal(dirname('docs/a.md'), 'docs');
      assert.equal(basename('/'), '');
      assert.equal(basename('/home/u/ws/'), 'ws');
    });
    test('extname edge cases follow Node', () => {
      assert.equal(extname('archive.tar.gz'), '.gz');
      assert.equal(extname('.bashrc'), '');
      assert.equal(extname('README'), '');
      assert.equal(extname('a.'), '.');
      assert.equal(extname('/x.d/file'), '');
    });
  });

  suite('joinPath', () => {
    test('joins and normalizes', () => {
      assert.equal(joinPath('/home/u/ws', 'docs', '../images', 'a.png'), '/home/u/ws/images/a.png');
      assert.equal(joinPath('/c:/ws/', '/images/', 'a b.png'), '/c:/ws/images/a b.png');
      assert.equal(joinPath('C:\\ws', 'img\\a.png'), '/C:/ws/img/a.png');
    });
    test('empty parts are skipped', () => {
      assert.equal(joinPath('', 'a', '', 'b'), 'a/b');
      assert.equal(joinPath(), '.');
    });
  });

  suite('isInside', () => {
    test('descendants only; the folder itself only with allowEqual', () => {
      assert.equal(isInside('/home/u/ws', '/home/u/ws/images/a.png'), true);
      assert.equal(isInside('/home/u/ws', '/home/u/ws'), false);
      assert.equal(isInside('/home/u/ws', '/home/u/ws/', true), true);
    });
    test('a sibling sharing a prefix is not inside', () => {
      assert.equal(isInside('/home/u/ws', '/home/u/ws2/a.png'), false);
      assert.equal(isInside('/home/u/ws', '/home/u/ws-old/a.png'), false);
    });
    test('.. is resolved before comparing', () => {
      assert.equal(isInside('/home/u/ws', '/home/u/ws/images/../../secret'), false);
      assert.equal(isInside('/home/u/ws', '/home/u/ws/a/../b.png'), true);
    });
    test('POSIX comparisons are case-sensitive', () => {
      assert.equal(isInside('/home/u/WS', '/home/u/ws/a.png'), false);
    });
    test('drive-letter and UNC paths compare case-insensitively', () => {
      assert.equal(isInside('/c:/Users/X/ws', '/C:/users/x/WS/images/a.png'), true);
      assert.equal(isInside('C:\\Users\\x\\ws', '/c:/Users/x/ws/图片/a.png'), true);
      assert.equal(isInside('/c:/ws', '/d:/ws/a.png'), false);
      assert.equal(isInside('//Server/Share/ws', '//server/share/WS/a.png'), true);
    });
    test('a root contains everything on it', () => {
      assert.equal(isInside('/', '/etc/passwd'), true);
      assert.equal(isInside('/c:/', '/C:/a.png'), true);
    });
  });

  suite('relativeLink', () => {
    test('same folder, sub folder, parent folders', () => {
      assert.equal(relativeLink('/home/u/ws/docs', '/home/u/ws/docs/a.png'), 'a.png');
      assert.equal(relativeLink('/home/u/ws/docs', '/home/u/ws/docs/images/a.png'), 'images/a.png');
      assert.equal(
        relativeLink('/home/u/ws/docs/deep/er', '/home/u/ws/images/a.png'),
        '../../../images/a.png',
      );
    });
    test('never a leading ./, and . for the folder itself', () => {
      assert.ok(!relativeLink('/a', '/a/b.png').startsWith('./'));
      assert.equal(relativeLink('/a/b', '/a/b'), '.');
    });
    test('spaces, parentheses, CJK and emoji are kept verbatim (snippets escape them)', () => {
      assert.equal(
        relativeLink('/home/u/My Notes (2026)', '/home/u/My Notes (2026)/图片/猫 🐱.png'),
        '图片/猫 🐱.png',
      );
    });
    test('drive letters compare case-insensitively; the target keeps its case', () => {
      assert.equal(relativeLink('/c:/Users/x/ws/docs', '/C:/users/X/ws/Images/A.png'), '../Images/A.png');
      assert.equal(relativeLink('C:\\Users\\x\\ws\\docs', 'c:\\Users\\x\\ws\\docs\\img\\a.png'), 'img/a.png');
    });
    test('POSIX comparisons are case-sensitive', () => {
      assert.equal(relativeLink('/home/u/Docs', '/home/u/docs/a.png'), '../docs/a.png');
    });
    test('another drive gives an absolute file: URI', () => {
      assert.equal(
        relativeLink('/c:/ws/docs', '/d:/pics/my cat (1).png'),
        'file:///d:/pics/my%20cat%20(1).png',
      );
      assert.equal(relativeLink('C:\\ws', 'D:\\图\\a.png'), 'file:///D:/%E5%9B%BE/a.png');
    });
  });

  suite('fileUriFromPath', () => {
    test('POSIX, drive and UNC paths', () => {
      assert.equal(fileUriFromPath('/home/u/a b#1.png'), 'file:///home/u/a%20b%231.png');
      assert.equal(fileUriFromPath('C:\\x\\y.png'), 'file:///C:/x/y.png');
      assert.equal(fileUriFromPath('\\\\srv\\share\\d\\y.png'), 'file://srv/share/d/y.png');
    });
  });
});
