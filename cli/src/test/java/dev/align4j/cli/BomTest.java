package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** align4j-bom pins every published module of the root build, at the project's version. */
class BomTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    /** A module pom's own artifactId: the first one after its parent block. */
    private static final Pattern OWN_ID = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>");
    private static final Pattern BOM_ENTRY = Pattern.compile(
            "<groupId>dev\\.align4j</groupId><artifactId>([^<]+)</artifactId><version>\\$\\{project\\.version}</version>");

    @Test
    void theBomListsEveryPublishedModuleAtTheProjectVersion() throws IOException {
        List<String> published = new ArrayList<>();
        for (String module : all(MODULE, Files.readString(ROOT.resolve("pom.xml")))) {
            if (module.equals("bom") || module.startsWith("examples/")) {
                continue; // the BOM itself; examples are not installed
            }
            List<String> id = all(OWN_ID, Files.readString(ROOT.resolve(module).resolve("pom.xml")));
            assertThat(id).as(module + "/pom.xml artifactId").hasSize(1);
            published.add(id.get(0));
        }
        assertThat(published).isNotEmpty();
        String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
        assertThat(all(BOM_ENTRY, bom)).containsExactlyInAnyOrderElementsOf(published);
        assertThat(bom).doesNotContain("<parent>");
    }

    private static List<String> all(Pattern p, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
