package io.plsim.core.control;

import static io.plsim.core.control.World.ALICE;
import static io.plsim.core.control.World.BOB;
import static io.plsim.core.control.World.NLB_A;
import static io.plsim.core.control.World.NLB_B;
import static io.plsim.core.control.World.SUBNET_A;
import static io.plsim.core.control.World.SUBNET_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ListenerTest {

    private World w;
    private ControlPlane cp;

    @BeforeEach
    void setUp() {
        w = new World();
        cp = w.cp;
    }

    private static String describe(ControlEvent e) {
        if (e instanceof ControlEvent.ServiceChanged c) {
            return "service " + c.service().state().wire() + " " + c.service().networkLoadBalancerArns().size()
                    + " lb " + c.service().acceptanceRequired();
        } else if (e instanceof ControlEvent.ServiceDeleted d) {
            return "service " + d.service().state().wire();
        } else if (e instanceof ControlEvent.EndpointChanged c) {
            return "endpoint " + c.previous() + "->" + c.endpoint().state();
        } else if (e instanceof ControlEvent.PermissionsChanged p) {
            return "permissions " + p.allowed().size();
        } else if (e instanceof ControlEvent.NotificationChanged n) {
            return "notification " + n.notification().events().size() + " events";
        } else if (e instanceof ControlEvent.NotificationDeleted) {
            return "notification deleted";
        } else if (e instanceof ControlEvent.EndpointTagged t) {
            return "tagged " + t.endpoint().tags().size();
        } else {
            return "notified " + ((ControlEvent.Notified) e).event();
        }
    }

    private static List<String> describe(List<ControlEvent> events) {
        synchronized (events) {
            return events.stream().map(ListenerTest::describe).toList();
        }
    }

    @Test
    void everyStateChangeReachesListenersInOrder() {
        ServiceConfiguration s = w.service(true, NLB_A);
        w.allow(s, World.ROOT_ARN);
        cp.modifyServiceConfiguration(ALICE, ModifyServiceRequest.loadBalancers(s.serviceId(), List.of(NLB_B),
                List.of()));
        cp.createConnectionNotification(ALICE, s.serviceId(), null, NotificationTest.TOPIC,
                NotificationTest.ALL_EVENTS);
        VpcEndpoint e1 = w.endpoint(s, SUBNET_B);
        VpcEndpoint e2 = w.endpoint(s, SUBNET_A);
        cp.acceptConnections(ALICE, s.serviceId(), List.of(e1.vpcEndpointId()));
        cp.rejectConnections(ALICE, s.serviceId(), List.of(e1.vpcEndpointId(), e2.vpcEndpointId()));
        cp.modifyServiceConfiguration(ALICE, ModifyServiceRequest.acceptance(s.serviceId(), false));
        cp.deleteVpcEndpoints(BOB, List.of(e2.vpcEndpointId()));
        cp.deleteServiceConfigurations(ALICE, List.of(s.serviceId()));

        assertEquals(List.of(
                "service Available 1 lb true",
                "permissions 1",
                "service Available 2 lb true",
                "notification 4 events",
                "endpoint null->pendingAcceptance", "notified Connect",
                "endpoint null->pendingAcceptance", "notified Connect",
                "endpoint pendingAcceptance->available", "notified Accept",
                "endpoint available->rejected", "notified Reject",
                "endpoint pendingAcceptance->rejected", "notified Reject",
                "service Available 2 lb false",
                "endpoint rejected->deleting", "endpoint deleting->deleted", "notified Delete",
                "service Deleted", "notification deleted"), describe(w.events));
    }

    @Test
    void listenersHaveSeenTheChangeBeforeTheCallReturns() {
        ServiceConfiguration s = w.openService(true);
        VpcEndpoint e = w.endpoint(s, SUBNET_B);
        Thread caller = Thread.currentThread();
        List<Thread> threads = new ArrayList<>();
        cp.addListener(ev -> threads.add(Thread.currentThread()));

        int before = w.events.size();
        cp.rejectConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId()));
        // no waiting: the event is already there
        assertEquals(before + 1, w.events.size());
        ControlEvent.EndpointChanged c = (ControlEvent.EndpointChanged) w.events.get(before);
        assertEquals(EndpointState.REJECTED, c.endpoint().state());
        assertEquals(List.of(caller), threads, "delivered on the caller's thread");
    }

    @Test
    void everyListenerSeesTheSameEventsInTheSameOrder() {
        List<ControlEvent> second = new ArrayList<>();
        cp.addListener(second::add);
        ServiceConfiguration s = w.openService(false);
        VpcEndpoint e = w.endpoint(s, SUBNET_B);
        cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId()));
        assertEquals(w.events, second);
        assertEquals(List.of("endpoint null->available", "endpoint available->deleting",
                "endpoint deleting->deleted"), describe(second).subList(second.size() - 3, second.size()));
    }

    @Test
    void aThrowingListenerBreaksNeitherTheOperationNorTheOtherListeners() {
        cp.addListener(ev -> {
            throw new IllegalStateException("listener bug");
        });
        List<ControlEvent> after = new ArrayList<>();
        cp.addListener(after::add);
        cp.addListener(ev -> {
            throw new UnsupportedOperationException("another listener bug");
        });

        ServiceConfiguration s = w.openService(true);
        cp.createConnectionNotification(ALICE, s.serviceId(), null, NotificationTest.TOPIC,
                NotificationTest.ALL_EVENTS);
        VpcEndpoint e = w.endpoint(s, SUBNET_B);
        assertEquals(List.of(), cp.acceptConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId())));
        cp.createTags(BOB, List.of(e.vpcEndpointId()), Map.of("k", "v"));
        assertEquals(List.of(), cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId())));

        assertEquals(EndpointState.DELETED, w.stateOf(e.vpcEndpointId()));
        assertEquals(w.events, after, "the listener after the faulty one saw everything");
        assertEquals(List.of("service Available 2 lb true", "permissions 1", "notification 4 events",
                "endpoint null->pendingAcceptance", "notified Connect",
                "endpoint pendingAcceptance->available", "notified Accept", "tagged 1", "endpoint available->deleting",
                "endpoint deleting->deleted", "notified Delete"), describe(after));
    }

    @Test
    void aListenerThrowingAnErrorBreaksNeitherTheOperationNorTheOtherListeners() {
        cp.addListener(ev -> {
            throw new AssertionError("a listener's failed assert");
        });
        List<ControlEvent> after = new ArrayList<>();
        cp.addListener(after::add);
        cp.createConnectionNotification(ALICE, w.openService(false).serviceId(), null, NotificationTest.TOPIC,
                NotificationTest.ALL_EVENTS);

        VpcEndpoint e = w.endpoint(cp.services().get(0), SUBNET_B);

        assertEquals(EndpointState.AVAILABLE, e.state());
        assertEquals(List.of("service Available 2 lb false", "permissions 1", "notification 4 events",
                "endpoint null->available", "notified Connect", "notified Accept"), describe(after));
        assertEquals(w.events, after);
    }

    @Test
    void aRemovedListenerHearsNothingMore() {
        List<ControlEvent> heard = new ArrayList<>();
        ControlPlaneListener l = heard::add;
        cp.addListener(l);
        w.service(true, NLB_A);
        cp.removeListener(l);
        w.service(true, NLB_B);
        assertEquals(1, heard.size());
        assertSame(ControlEvent.ServiceChanged.class, heard.get(0).getClass());
    }
}
