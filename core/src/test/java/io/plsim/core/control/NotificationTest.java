package io.plsim.core.control;

import static io.plsim.core.control.World.ALICE;
import static io.plsim.core.control.World.BOB;
import static io.plsim.core.control.World.NLB_SOLO;
import static io.plsim.core.control.World.PROVIDER;
import static io.plsim.core.control.World.ROOT_ARN;
import static io.plsim.core.control.World.SUBNET_A;
import static io.plsim.core.control.World.SUBNET_B;
import static io.plsim.core.control.World.assertFails;
import static io.plsim.core.control.World.assertOneFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class NotificationTest {

    static final String TOPIC = "arn:aws:sns:us-east-1:111122223333:VpceNotification";
    static final String OTHER_TOPIC = "arn:aws:sns:us-east-1:111122223333:mytopic";
    static final String BOB_TOPIC = "arn:aws:sns:us-east-1:444455556666:endpoint-events";
    static final List<String> ALL_EVENTS = List.of("Connect", "Accept", "Reject", "Delete");

    private World w;
    private ControlPlane cp;
    private ServiceConfiguration s;

    @BeforeEach
    void setUp() {
        w = new World();
        cp = w.cp;
        s = w.openService(true);
    }

    private ConnectionNotification onService(String topic, List<String> events) {
        return cp.createConnectionNotification(ALICE, s.serviceId(), null, topic, events);
    }

    /** The Notified events so far, as "notification-id event endpoint-id". */
    private List<String> fired() {
        return w.notified().stream().map(n -> n.notification().connectionNotificationId() + " " + n.event().wire()
                + " " + n.endpoint().vpcEndpointId()).toList();
    }

    @Nested
    class Manage {

        @Test
        void createsANotificationOnAService() {
            ConnectionNotification n = onService(TOPIC, ALL_EVENTS);
            assertTrue(n.connectionNotificationId().matches("vpce-nfn-[0-9a-f]{17}"), n.connectionNotificationId());
            assertEquals(PROVIDER, n.ownerId());
            assertEquals(s.serviceId(), n.serviceId());
            assertNull(n.vpcEndpointId());
            assertEquals(TOPIC, n.topicArn());
            assertEquals(Set.of(ConnectionEvent.values()), n.events());
            assertEquals("Topic", ConnectionNotification.TYPE);
            assertEquals("Enabled", ConnectionNotification.STATE);
        }

        @Test
        void createsANotificationOnAnEndpoint() {
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            ConnectionNotification n = cp.createConnectionNotification(BOB, null, e.vpcEndpointId(), BOB_TOPIC,
                    List.of("Accept", "Reject"));
            assertEquals(e.vpcEndpointId(), n.vpcEndpointId());
            assertNull(n.serviceId());
            assertEquals(Set.of(ConnectionEvent.ACCEPT, ConnectionEvent.REJECT), n.events());
        }

        @Test
        void neitherServiceNorEndpointIsMissingParameter() {
            assertFails("MissingParameter", () -> cp.createConnectionNotification(ALICE, null, null, TOPIC,
                    ALL_EVENTS), "ServiceId", "VpcEndpointId");
        }

        @Test
        void bothServiceAndEndpointIsInvalidParameter() {
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            assertFails("InvalidParameter", () -> cp.createConnectionNotification(ALICE, s.serviceId(),
                    e.vpcEndpointId(), TOPIC, ALL_EVENTS), "ServiceId", "VpcEndpointId");
            assertEquals(List.of(), cp.notifications());
        }

        @Test
        void unknownEventIsInvalidParameterValue() {
            assertFails("InvalidParameterValue", () -> onService(TOPIC, List.of("Connect", "Explode")), "Explode");
            assertFails("InvalidParameterValue", () -> onService(TOPIC, List.of("connect")), "connect");
        }

        @Test
        void noEventIsRefused() {
            ControlPlaneException e = assertFails("MissingParameter", () -> onService(TOPIC, List.of()),
                    "ConnectionEvents");
            assertTrue(e.getMessage().contains("ConnectionEvents"));
        }

        @Test
        void topicArnIsChecked() {
            for (String bad : List.of("VpceNotification", "arn:aws:sqs:us-east-1:111122223333:queue",
                    "arn:aws:sns:us-east-1:1111:topic", "arn:aws:sns:us-east-1:111122223333:")) {
                assertFails("InvalidParameterValue", () -> onService(bad, ALL_EVENTS), bad);
            }
            assertFails("MissingParameter", () -> onService(null, ALL_EVENTS), "ConnectionNotificationArn");
            assertEquals(List.of(), cp.notifications());
        }

        @Test
        void onlyTheOwnerOfTheServiceOrEndpointMayCreateOne() {
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            assertFails("InvalidVpcEndpointServiceId.NotFound", () -> cp.createConnectionNotification(BOB,
                    s.serviceId(), null, BOB_TOPIC, ALL_EVENTS), s.serviceId());
            assertFails("InvalidVpcEndpointId.NotFound", () -> cp.createConnectionNotification(ALICE,
                    null, e.vpcEndpointId(), TOPIC, ALL_EVENTS), e.vpcEndpointId());
        }

        @Test
        void aDeletedEndpointTakesNoNotification() {
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId()));
            assertFails("InvalidVpcEndpointId.NotFound", () -> cp.createConnectionNotification(BOB, null,
                    e.vpcEndpointId(), BOB_TOPIC, ALL_EVENTS), e.vpcEndpointId());
        }

        @Test
        void describesByIdAndFilters() {
            ConnectionNotification a = onService(TOPIC, ALL_EVENTS);
            ConnectionNotification b = onService(OTHER_TOPIC, List.of("Connect"));
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            ConnectionNotification bobs = cp.createConnectionNotification(BOB, null, e.vpcEndpointId(), BOB_TOPIC,
                    ALL_EVENTS);

            assertEquals(List.of(a, b), cp.describeConnectionNotifications(ALICE, null, List.of(), PageRequest.ALL)
                    .items());
            assertEquals(List.of(b), cp.describeConnectionNotifications(ALICE, b.connectionNotificationId(),
                    List.of(), PageRequest.ALL).items());
            assertEquals(List.of(b), cp.describeConnectionNotifications(ALICE, null,
                    List.of(Filter.of("connection-notification-arn", "*mytopic")), PageRequest.ALL).items());
            assertEquals(List.of(a, b), cp.describeConnectionNotifications(ALICE, null,
                    List.of(Filter.of("service-id", s.serviceId())), PageRequest.ALL).items());
            assertEquals(List.of(bobs), cp.describeConnectionNotifications(BOB, null,
                    List.of(Filter.of("vpc-endpoint-id", e.vpcEndpointId())), PageRequest.ALL).items());
            assertFails("InvalidConnectionNotification", () -> cp.describeConnectionNotifications(BOB,
                    a.connectionNotificationId(), List.of(), PageRequest.ALL), a.connectionNotificationId());
            assertFails("InvalidParameterValue", () -> cp.describeConnectionNotifications(ALICE, null,
                    List.of(Filter.of("topic", TOPIC)), PageRequest.ALL), "topic");
        }

        @Test
        void modifiesTopicAndEvents() {
            ConnectionNotification n = onService(TOPIC, ALL_EVENTS);
            ConnectionNotification topicChanged = cp.modifyConnectionNotification(ALICE,
                    n.connectionNotificationId(), OTHER_TOPIC, null);
            assertEquals(OTHER_TOPIC, topicChanged.topicArn());
            assertEquals(n.events(), topicChanged.events());

            ConnectionNotification eventsChanged = cp.modifyConnectionNotification(ALICE,
                    n.connectionNotificationId(), null, List.of("Accept", "Reject"));
            assertEquals(OTHER_TOPIC, eventsChanged.topicArn());
            assertEquals(Set.of(ConnectionEvent.ACCEPT, ConnectionEvent.REJECT), eventsChanged.events());
            assertEquals(List.of(eventsChanged), cp.notifications());
        }

        @Test
        void modifyChecksWhatItChanges() {
            ConnectionNotification n = onService(TOPIC, ALL_EVENTS);
            String id = n.connectionNotificationId();
            assertFails("InvalidParameterValue", () -> cp.modifyConnectionNotification(ALICE, id, "bad-topic", null),
                    "bad-topic");
            assertFails("InvalidParameterValue", () -> cp.modifyConnectionNotification(ALICE, id, null,
                    List.of("Boom")), "Boom");
            String unknown = "vpce-nfn-0000000000000dead";
            assertFails("InvalidConnectionNotification", () -> cp.modifyConnectionNotification(ALICE, unknown,
                    OTHER_TOPIC, null), unknown);
            assertFails("InvalidConnectionNotification", () -> cp.modifyConnectionNotification(BOB, id,
                    OTHER_TOPIC, null), id);
            assertEquals(List.of(n), cp.notifications());
        }

        @Test
        void deletesAndAnswersPerItemForUnknownIds() {
            ConnectionNotification n = onService(TOPIC, ALL_EVENTS);
            String unknown = "vpce-nfn-0000000000000dead";
            assertOneFailure(cp.deleteConnectionNotifications(ALICE, List.of(unknown, n.connectionNotificationId())),
                    unknown, "InvalidConnectionNotification");
            assertEquals(List.of(), cp.notifications());
            assertOneFailure(cp.deleteConnectionNotifications(ALICE, List.of(n.connectionNotificationId())),
                    n.connectionNotificationId(), "InvalidConnectionNotification");
        }

        @Test
        void anotherAccountCannotDeleteIt() {
            ConnectionNotification n = onService(TOPIC, ALL_EVENTS);
            assertOneFailure(cp.deleteConnectionNotifications(BOB, List.of(n.connectionNotificationId())),
                    n.connectionNotificationId(), "InvalidConnectionNotification");
            assertEquals(List.of(n), cp.notifications());
        }

        @Test
        void deletingTheServiceDeletesItsNotifications() {
            onService(TOPIC, ALL_EVENTS);
            cp.deleteServiceConfigurations(ALICE, List.of(s.serviceId()));
            assertEquals(List.of(), cp.notifications());
        }
    }

    @Nested
    class Firing {

        @Test
        void everyTransitionFiresItsEventOnceInOrder() {
            ConnectionNotification n = onService(TOPIC, ALL_EVENTS);
            String id = n.connectionNotificationId();

            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            String ep = e.vpcEndpointId();
            cp.acceptConnections(ALICE, s.serviceId(), List.of(ep));
            cp.rejectConnections(ALICE, s.serviceId(), List.of(ep));
            cp.deleteVpcEndpoints(BOB, List.of(ep));

            assertEquals(List.of(id + " Connect " + ep, id + " Accept " + ep, id + " Reject " + ep,
                    id + " Delete " + ep), fired());
            ControlEvent.Notified first = w.notified().get(0);
            assertEquals(World.NOW, first.at());
            assertEquals(n, first.notification());
        }

        @Test
        void notifiedFollowsTheEndpointChangeItReports() {
            onService(TOPIC, ALL_EVENTS);
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            cp.acceptConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId()));
            cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId()));

            List<String> kinds = w.events.stream()
                    .filter(ev -> ev instanceof ControlEvent.EndpointChanged || ev instanceof ControlEvent.Notified)
                    .map(ev -> ev instanceof ControlEvent.EndpointChanged c ? c.endpoint().state().wire()
                            : ((ControlEvent.Notified) ev).event().wire()).toList();
            assertEquals(List.of("pendingAcceptance", "Connect", "available", "Accept", "deleting", "deleted",
                    "Delete"), kinds);
            ControlEvent.Notified accept = w.notified().get(1);
            assertEquals(EndpointState.AVAILABLE, accept.endpoint().state());
        }

        @Test
        void autoAcceptFiresConnectThenAccept() {
            ServiceConfiguration auto = w.service(false, NLB_SOLO);
            w.allow(auto, ROOT_ARN);
            ConnectionNotification n = cp.createConnectionNotification(ALICE, auto.serviceId(), null, TOPIC,
                    ALL_EVENTS);
            VpcEndpoint e = w.endpoint(auto, SUBNET_B);
            assertEquals(List.of(n.connectionNotificationId() + " Connect " + e.vpcEndpointId(),
                    n.connectionNotificationId() + " Accept " + e.vpcEndpointId()), fired());
        }

        @Test
        void rejectOfAPendingEndpointFiresReject() {
            ConnectionNotification n = onService(TOPIC, List.of("Reject"));
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            cp.rejectConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId()));
            assertEquals(List.of(n.connectionNotificationId() + " Reject " + e.vpcEndpointId()), fired());
        }

        @Test
        void onlySubscribedEventsFire() {
            ConnectionNotification n = onService(TOPIC, List.of("Accept", "Delete"));
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            cp.acceptConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId()));
            cp.rejectConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId()));
            cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId()));
            assertEquals(List.of(n.connectionNotificationId() + " Accept " + e.vpcEndpointId(),
                    n.connectionNotificationId() + " Delete " + e.vpcEndpointId()), fired());
        }

        @Test
        void eachMatchingNotificationFiresOnceForServiceAndEndpointNotifications() {
            ConnectionNotification onSvc = onService(TOPIC, ALL_EVENTS);
            ConnectionNotification onSvc2 = onService(OTHER_TOPIC, List.of("Accept"));
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            VpcEndpoint other = w.endpoint(s, SUBNET_A);
            ConnectionNotification onEp = cp.createConnectionNotification(BOB, null, e.vpcEndpointId(), BOB_TOPIC,
                    ALL_EVENTS);
            int before = w.notified().size();

            cp.acceptConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId(), other.vpcEndpointId()));

            List<String> fired = fired().subList(before, w.notified().size());
            String ep = e.vpcEndpointId();
            String op = other.vpcEndpointId();
            assertEquals(List.of(onSvc.connectionNotificationId() + " Accept " + ep,
                    onSvc2.connectionNotificationId() + " Accept " + ep,
                    onEp.connectionNotificationId() + " Accept " + ep,
                    onSvc.connectionNotificationId() + " Accept " + op,
                    onSvc2.connectionNotificationId() + " Accept " + op), fired);
        }

        @Test
        void endpointNotificationFiresForItsEndpointOnly() {
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            VpcEndpoint other = w.endpoint(s, SUBNET_A);
            ConnectionNotification n = cp.createConnectionNotification(BOB, null, e.vpcEndpointId(), BOB_TOPIC,
                    ALL_EVENTS);
            cp.rejectConnections(ALICE, s.serviceId(), List.of(other.vpcEndpointId(), e.vpcEndpointId()));
            cp.deleteVpcEndpoints(BOB, List.of(other.vpcEndpointId(), e.vpcEndpointId()));
            assertEquals(List.of(n.connectionNotificationId() + " Reject " + e.vpcEndpointId(),
                    n.connectionNotificationId() + " Delete " + e.vpcEndpointId()), fired());
        }

        @Test
        void modifiedEventsApplyFromThenOn() {
            ConnectionNotification n = onService(TOPIC, List.of("Connect"));
            VpcEndpoint first = w.endpoint(s, SUBNET_B);
            cp.modifyConnectionNotification(ALICE, n.connectionNotificationId(), OTHER_TOPIC, List.of("Accept"));
            w.endpoint(s, SUBNET_A);
            cp.acceptConnections(ALICE, s.serviceId(), List.of(first.vpcEndpointId()));

            assertEquals(List.of(n.connectionNotificationId() + " Connect " + first.vpcEndpointId(),
                    n.connectionNotificationId() + " Accept " + first.vpcEndpointId()), fired());
            assertEquals(OTHER_TOPIC, w.notified().get(1).notification().topicArn());
        }

        @Test
        void deletedNotificationNoLongerFires() {
            ConnectionNotification n = onService(TOPIC, ALL_EVENTS);
            cp.deleteConnectionNotifications(ALICE, List.of(n.connectionNotificationId()));
            w.endpoint(s, SUBNET_B);
            assertEquals(List.of(), fired());
        }

        @Test
        void failedItemsFireNothing() {
            onService(TOPIC, ALL_EVENTS);
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            cp.rejectConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId()));
            int before = w.notified().size();
            cp.rejectConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId()));
            cp.acceptConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId()));
            cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId()));
            cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId()));
            assertEquals(before + 1, w.notified().size(), "one Delete only");
        }
    }
}
