// Constants the production build compiles in (shared by esbuild.js and the test that checks them).
// The shipped build has no test hooks at all: the branch of activate() that exports them becomes
// `if (false)` and the minifier drops it, whatever the environment says at run time.
module.exports = { 'process.env.IMAGE_GEN_TEST_HOOKS': '"off"' };
