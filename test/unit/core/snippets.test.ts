import * as assert from 'node:assert/strict';
import {
  latexUnsafePath,
  altTextFromPrompt,
  buildSnippet,
  snippetLanguage,
} from '../../../src/core/snippets';

suite('core/snippets', () => {
  suite('snippetLanguage', () => {
    test('Markdown family', () => {
      for (const id of ['markdown', 'mdx', 'quarto', 'rmd', 'MARKDOWN'])
        assert.equal(snippetLanguage(id), 'markdown', id);
    });
    test('HTML family', () => {
      for (const id of ['html', 'vue', 'php', 'svelte', 'handlebars'])
        assert.equal(snippetLanguage(id), 'html', id);
    });
    test('AsciiDoc, reStructuredText, LaTeX', () => {
      assert.equal(snippetLanguage('asciidoc'), 'asciidoc');
      assert.equal(snippetLanguage('restructuredtext'), 'restructuredtext');
      assert.equal(snippetLanguage('latex'), 'latex');
      assert.equal(snippetLanguage('tex'), 'latex');
    });
    test('anything else is Markdown', () => {
      for (const id of ['plaintext', 'typescript', '', 'constructor', '__proto__', 'toString']) {
        assert.equal(snippetLanguage(id), 'markdown', id);
      }
    });
  });

  suite('markdown', () => {
    test('plain relative path', () => {
      assert.equal(
        buildSnippet('markdown', 'images/a-cat-20261125-101010.png', 'a cat'),
        '![a cat](images/a-cat-20261125-101010.png)',
      );
    });
    test('spaces or parentheses: target in angle brackets', () => {
      assert.equal(buildSnippet('markdown', 'my images/a cat.png', 'x'), '![x](<my images/a cat.png>)');
      assert.equal(buildSnippet('markdown', 'images/cat(1).png', 'x'), '![x](<images/cat(1).png>)');
      assert.equal(buildSnippet('markdown', 'images/cat).png', 'x'), '![x](<images/cat).png>)');
    });
    test('< and > are percent-encoded, inside brackets too', () => {
      assert.equal(buildSnippet('markdown', 'a<b>.png', ''), '![](a%3Cb%3E.png)');
      assert.equal(buildSnippet('markdown', 'a <b>.png', ''), '![](<a %3Cb%3E.png>)');
    });
    test('# ? % in file paths are encoded, but URLs are left alone', () => {
      assert.equal(buildSnippet('markdown', 'images/c#1?.png', ''), '![](images/c%231%3F.png)');
      assert.equal(buildSnippet('markdown', 'images/100%.png', ''), '![](images/100%25.png)');
      assert.equal(
        buildSnippet('markdown', 'https://cdn.x.com/a.png?sig=a%2Fb#f', ''),
        '![](https://cdn.x.com/a.png?sig=a%2Fb#f)',
      );
    });
    test('CJK and emoji stay readable', () => {
      assert.equal(buildSnippet('markdown', '图片/猫🐱.png', '一只猫 🐱'), '![一只猫 🐱](图片/猫🐱.png)');
      assert.equal(buildSnippet('markdown', '图片/小 猫.png', '猫'), '![猫](<图片/小 猫.png>)');
    });
    test('Windows-style relative target with spaces and parentheses', () => {
      assert.equal(
        buildSnippet('markdown', '../My Pictures (2026)/a.png', 'a'),
        '![a](<../My Pictures (2026)/a.png>)',
      );
    });
    test('alt text: brackets and backslashes escaped, line breaks collapsed', () => {
      assert.equal(buildSnippet('markdown', 'a.png', 'a [b] c\\d'), '![a \\[b\\] c\\\\d](a.png)');
      assert.equal(
        buildSnippet('markdown', 'a.png', 'line one\n\n  line two\r\nthree'),
        '![line one line two three](a.png)',
      );
    });
    test('a file: URI from another drive', () => {
      assert.equal(
        buildSnippet('markdown', 'file:///d:/pics/my%20cat.png', 'c'),
        '![c](file:///d:/pics/my%20cat.png)',
      );
    });
  });

  suite('html', () => {
    test('attribute-escaped src and alt', () => {
      assert.equal(buildSnippet('html', 'images/a.png', 'a cat'), '<img src="images/a.png" alt="a cat">');
      assert.equal(
        buildSnippet('html', 'a&b "q".png', `Tom & "Jerry" <3 it's`),
        '<img src="a&amp;b &quot;q&quot;.png" alt="Tom &amp; &quot;Jerry&quot; &lt;3 it&#39;s">',
      );
    });
    test('URLs keep their query; file paths get # encoded', () => {
      assert.equal(
        buildSnippet('html', 'https://x.com/a.png?a=1&b=2', ''),
        '<img src="https://x.com/a.png?a=1&amp;b=2" alt="">',
      );
      assert.equal(buildSnippet('html', 'img/#1.png', ''), '<img src="img/%231.png" alt="">');
    });
    test('multi-line alt becomes one line', () => {
      assert.equal(buildSnippet('html', 'a.png', 'a\nb'), '<img src="a.png" alt="a b">');
    });
  });

  suite('asciidoc', () => {
    test('image::path[alt]', () => {
      assert.equal(buildSnippet('asciidoc', 'images/a.png', 'a cat'), 'image::images/a.png[a cat]');
      assert.equal(buildSnippet('asciidoc', 'images/a.png', ''), 'image::images/a.png[]');
      assert.equal(buildSnippet('asciidoc', '图片/猫 🐱.png', '猫'), 'image::图片/猫 🐱.png[猫]');
    });
    test('alt with comma, bracket, quote or = is quoted', () => {
      assert.equal(buildSnippet('asciidoc', 'a.png', 'cat, dog'), 'image::a.png["cat, dog"]');
      assert.equal(buildSnippet('asciidoc', 'a.png', 'a]b'), 'image::a.png["a]b"]');
      assert.equal(buildSnippet('asciidoc', 'a.png', 'say "hi", ok'), 'image::a.png["say \\"hi\\", ok"]');
      assert.equal(buildSnippet('asciidoc', 'a.png', 'x=y'), 'image::a.png["x=y"]');
    });
    test('brackets in the target are encoded (the macro ends its target at [)', () => {
      assert.equal(buildSnippet('asciidoc', 'img/a[1].png', 'x'), 'image::img/a%5B1%5D.png[x]');
    });
  });

  suite('restructuredtext', () => {
    test('directive with :alt: on the next line', () => {
      assert.equal(
        buildSnippet('restructuredtext', 'images/a.png', 'a cat'),
        '.. image:: images/a.png\n   :alt: a cat',
      );
    });
    test(':alt: omitted when empty', () => {
      assert.equal(buildSnippet('restructuredtext', 'images/a.png', ''), '.. image:: images/a.png');
      assert.equal(buildSnippet('restructuredtext', 'images/a.png', '  \n '), '.. image:: images/a.png');
    });
    test('blanks and backslashes in the target are escaped', () => {
      assert.equal(
        buildSnippet('restructuredtext', 'my images/a b.png', '猫'),
        '.. image:: my\\ images/a\\ b.png\n   :alt: 猫',
      );
    });
    test('multi-line alt stays on the option line', () => {
      assert.equal(
        buildSnippet('restructuredtext', 'a.png', 'one\ntwo'),
        '.. image:: a.png\n   :alt: one two',
      );
    });
  });

  suite('latex', () => {
    test('plain path', () => {
      assert.equal(
        buildSnippet('latex', 'images/a-cat.png', 'ignored'),
        '\\includegraphics{images/a-cat.png}',
      );
    });
    test('spaces, underscores and non-ASCII go through \\detokenize', () => {
      assert.equal(
        buildSnippet('latex', 'my images/a cat.png', ''),
        '\\includegraphics{\\detokenize{my images/a cat.png}}',
      );
      assert.equal(buildSnippet('latex', 'img/a_b.png', ''), '\\includegraphics{\\detokenize{img/a_b.png}}');
      assert.equal(buildSnippet('latex', '图片/猫.png', ''), '\\includegraphics{\\detokenize{图片/猫.png}}');
    });
    test('a remote URL is a comment plus \\url{} with %, # and \\ escaped, never \\includegraphics', () => {
      const snippet = buildSnippet('latex', 'https://cdn.example/a%20b.png?sig=x#frag\\{}', 'alt');
      assert.equal(
        snippet,
        '% \\includegraphics needs a local file: download this image (Image Gen)\n' +
          '\\url{https://cdn.example/a\\%20b.png?sig=x\\#frag\\%5C\\%7B\\%7D}',
      );
      assert.ok(!snippet.includes('\\includegraphics{'));
    });
    test('local paths with %, # or \\ are flagged as unusable; URLs and plain paths are not', () => {
      for (const p of ['images/100%.png', 'img/#1.png', 'img\\a.png', 'img/{a}.png'])
        assert.equal(latexUnsafePath(p), true, p);
      for (const p of ['images/a cat.png', 'https://x.example/a%20b.png#f', '图片/猫.png'])
        assert.equal(latexUnsafePath(p), false, p);
    });
  });

  suite('altTextFromPrompt', () => {
    test('collapses white space and trims', () => {
      assert.equal(altTextFromPrompt('  a\n\tcute   cat  '), 'a cute cat');
    });
    test('first 100 code points by default', () => {
      const prompt = 'x'.repeat(150);
      assert.equal(altTextFromPrompt(prompt), 'x'.repeat(100));
      assert.equal(altTextFromPrompt('abc def', 4), 'abc');
    });
    test('never splits a surrogate pair', () => {
      const out = altTextFromPrompt('🐱'.repeat(120));
      assert.equal(out, '🐱'.repeat(100));
      assert.equal(out.length, 200);
      assert.equal(altTextFromPrompt('a🐱b', 2), 'a🐱');
    });
    test('CJK counts one per character', () => {
      assert.equal(altTextFromPrompt('一只可爱的小猫在花园里玩耍', 5), '一只可爱的');
    });
  });
});
