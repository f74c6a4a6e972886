package com.warehouseexport.localruntime.lambda;

/**
 * Parent of every function's class loader: the platform classes plus the Lambda core API
 * ({@code aws-lambda-java-core}: Context, LambdaLogger, RequestHandler, ...) and nothing else of the runtime's class
 * path. This is how Lambda's own Java runtime does it: the core API comes from the runtime, so the runtime's Context
 * is the Context the handler was compiled against, and any copy in the function's jar is never loaded.
 */
final class LambdaCoreApiClassLoader extends ClassLoader {
    private static final String CORE_PACKAGE = "com.amazonaws.services.lambda.runtime";
    private static final String LOGGING_PACKAGE = "com.amazonaws.services.lambda.runtime.logging";

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader runtimeLoader;

    LambdaCoreApiClassLoader(ClassLoader runtimeLoader) {
        super("lambda-core-api", ClassLoader.getPlatformClassLoader());
        this.runtimeLoader = runtimeLoader;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        int dot = name.lastIndexOf('.');
        String packageName = dot < 0 ? "" : name.substring(0, dot);
        // only the two packages of aws-lambda-java-core itself; ...runtime.events etc. belong to the function
        if (packageName.equals(CORE_PACKAGE) || packageName.equals(LOGGING_PACKAGE)) {
            return runtimeLoader.loadClass(name);
        }
        throw new ClassNotFoundException(name);
    }
}
