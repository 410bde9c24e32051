package dev.nvae.api;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The public API's signatures mention only java.* and the API itself: the library's insides can change freely. */
class ApiSurfaceTest {
    private static final List<Class<?>> API = List.of(NvaeModel.class, ModelOptions.class, ComputeBackend.class, Precision.class,
            ModelInfo.class, SampleRequest.class, Images.class, Encodings.class, Scores.class, InvalidRequestException.class,
            ModelException.class, Training.class, TrainingListener.class, EpochReport.class);

    @Test
    void publicSignaturesUseOnlyJavaAndApiTypes() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : API) {
            check(c.getName() + " extends", c.getGenericSuperclass(), leaks);
            for (Type i : c.getGenericInterfaces()) check(c.getName() + " implements", i, leaks);
            for (Field f : c.getDeclaredFields()) if (visible(f.getModifiers())) check(c.getName() + "." + f.getName(), f.getGenericType(), leaks);
            List<Executable> members = new ArrayList<>(List.of(c.getDeclaredConstructors()));
            members.addAll(List.of(c.getDeclaredMethods()));
            for (Executable e : members) {
                if (!visible(e.getModifiers()) || e.isSynthetic()) continue;
                String where = c.getName() + "." + e.getName();
                if (e instanceof Method m) check(where + " returns", m.getGenericReturnType(), leaks);
                for (Type p : e.getGenericParameterTypes()) check(where + " takes", p, leaks);
                for (Type x : e.getGenericExceptionTypes()) check(where + " throws", x, leaks);
            }
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void everyPublicTypeOfThePackageIsListed() throws Exception {
        // A public type added to the package must be added above, and so checked.
        List<String> listed = API.stream().map(Class::getSimpleName).sorted().toList();
        List<String> found = new ArrayList<>();
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(NvaeModel.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/nvae/api"))) {
            for (var f : files.toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".class") || name.contains("$") || name.equals("package-info.class")) continue;
                Class<?> c = Class.forName("dev.nvae.api." + name.replace(".class", ""));
                if (Modifier.isPublic(c.getModifiers())) found.add(c.getSimpleName());
            }
        }
        assertEquals(listed, found.stream().sorted().toList());
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(String where, Type t, List<String> leaks) {
        if (t == null) return;
        if (t instanceof Class<?> c) {
            while (c.isArray()) c = c.getComponentType();
            if (!c.isPrimitive() && !c.getName().startsWith("java.") && !c.getPackageName().equals("dev.nvae.api")) leaks.add(where + " " + c.getName());
        } else if (t instanceof ParameterizedType p) {
            check(where, p.getRawType(), leaks);
            for (Type a : p.getActualTypeArguments()) check(where, a, leaks);
        } else if (t instanceof GenericArrayType g) {
            check(where, g.getGenericComponentType(), leaks);
        } else if (t instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) check(where, b, leaks);
            for (Type b : w.getLowerBounds()) check(where, b, leaks);
        }
    }
}
