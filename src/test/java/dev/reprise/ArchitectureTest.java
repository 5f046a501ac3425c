package dev.reprise;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule of docs/architecture.md: dependencies point inwards, to the engine and the
 * wire format; the web server and the storage backends stay at the edge; no package cycles.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.reprise");

  @Test
  void no_two_packages_depend_on_each_other() {
    slices().matching("dev.reprise.(**)").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void the_stream_engine_and_the_wire_format_depend_on_no_other_reprise_package() {
    for (String core : new String[] {"stream", "protocol"}) {
      String own = "dev.reprise." + core + "..";
      noClasses()
          .that()
          .resideInAPackage(own)
          .should()
          .dependOnClassesThat(resideInAPackage("dev.reprise..").and(not(resideInAPackage(own))))
          .check(MAIN);
    }
  }

  @Test
  void only_the_http_package_sees_helidon() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.reprise.http..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.helidon..")
        .check(MAIN);
  }

  @Test
  void only_the_composition_root_knows_the_storage_backends() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.reprise.app..", "dev.reprise.storage..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.reprise.storage.sql..",
            "dev.reprise.storage.sqlite..",
            "dev.reprise.storage.postgres..",
            "dev.reprise.storage.redis..")
        .check(MAIN);
  }

  @Test
  void backends_are_reached_through_ports_not_through_each_other() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.reprise.storage.redis..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.reprise.storage.sql..", "dev.reprise.storage.sqlite..")
        .check(MAIN);
  }
}
