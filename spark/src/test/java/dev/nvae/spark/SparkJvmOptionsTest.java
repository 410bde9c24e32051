package dev.nvae.spark;

import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test JVM runs Spark in local mode, so it needs every option Spark's launcher gives the JVMs it starts. */
class SparkJvmOptionsTest {
    @Test
    void surefirePassesWhatSparksLauncherPasses() {
        List<String> given = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String option : JavaModuleOptions.defaultModuleOptionArray()) {
            assertTrue(given.contains(option), option + " is missing from surefire's argLine (spark/pom.xml spark.jvm.flags)");
        }
        assertTrue(given.contains("--enable-native-access=ALL-UNNAMED"));
    }
}
