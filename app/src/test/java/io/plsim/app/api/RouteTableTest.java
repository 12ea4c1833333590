package io.plsim.app.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.plsim.app.api.HttpRoutes.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static Reply says(String what) {
        return Reply.json("\"" + what + "\"");
    }

    private final RouteTable table = RouteTable.builder()
            .get("/things", "/things?limit=N", r -> says("list " + r.query()))
            .post("/things", r -> says("add " + r.body()))
            .patch("/things/{thing}", r -> says("change " + r.tail() + " " + r.body()))
            .delete("/things/{thing}", r -> says("remove [" + r.tail() + "]"))
            .get("/hidden", r -> says("hidden"))
            .get("/metrics", "/metrics", r -> says("metrics"))
            .build();

    @Test
    void eachRequestGoesToTheRouteOfItsMethodAndPath() {
        assertEquals("\"list limit=2\"", table.get("/things", "limit=2").body());
        assertEquals("\"add {}\"", table.post("/things", "", "{}").body());
        assertEquals("\"change fault-1 {}\"", table.patch("/things/fault-1", "", "{}").body());
        assertEquals("\"remove [x]\"", table.delete("/things/x", "").body());
        assertEquals("\"remove []\"", table.delete("/things/", "").body(), "an empty tail is the route's to refuse");
        assertEquals("\"hidden\"", table.get("/hidden", "").body());
    }

    @Test
    void aPathOrMethodNoRouteHasIsUnknown() {
        assertNull(table.get("/things/x", ""), "GET of a tail route that only PATCH and DELETE have");
        assertNull(table.delete("/things", ""));
        assertNull(table.post("/metrics", "", ""));
        assertNull(table.get("/thing", ""));
        assertNull(table.get("/thingsx", ""));
    }

    @Test
    void theIndexListsWhatTheTableDeclaresAsListed() {
        assertEquals(List.of("/things?limit=N", "/metrics"), table.listed());
    }

    @Test
    void aPathWithAParameterAnywhereButAtItsEndIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RouteTable.builder().get("/a/{x}/b", r -> null));
        assertThrows(IllegalArgumentException.class, () -> RouteTable.builder().get("/a/{x}/{y}", r -> null));
    }
}
