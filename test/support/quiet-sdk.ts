// Node 20 is the local toolchain; the SDK's notice about Node 22 would only add noise to test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
