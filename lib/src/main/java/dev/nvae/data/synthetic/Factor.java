package dev.nvae.data.synthetic;

/**
 * A factor of variation with known values: {@code scope} is {@link #SHARED} when every class has it,
 * else the name of the one class that has it (the other classes' value is NaN: they have no such factor).
 */
public record Factor(String name, String scope) {
    public static final String SHARED = "shared";

    public boolean isShared() {
        return SHARED.equals(scope);
    }
}
