"""A background worker killed part way through its work (a crash, an out-of-memory kill, its machine
lost): another worker picks the work up, and nothing is done twice."""

import time

from tests.production.test_several_instances import receipt_of, send_referral, unique_address, wait_for


def test_a_message_whose_worker_was_killed_mid_send_is_sent_exactly_once(processes, notify):
    settings = {**notify.settings, "NOTIFICATION_LEASE_SECONDS": 6, "NOTIFY_TIMEOUT_SECONDS": 5}
    web = processes.start_web(**settings)
    first_worker = processes.start_worker(**settings)
    # Notify takes the email, but the worker never hears back: it is killed while it waits.
    notify.delay_answers(60)
    register_id = processes.one("SELECT id FROM registers_register ORDER BY id LIMIT 1")
    reference = receipt_of(processes, send_referral(web.url, register_id, unique_address()))
    wait_for(lambda: notify.sent_with_reference(reference), what="Notify to receive the receipt")
    first_worker.kill()

    status = "SELECT status, attempts, notify_id FROM notifications_notification WHERE id = %s"
    assert processes.query(status, (reference,)) == [("sending", 1, "")]
    notify.delay_answers(0)
    processes.start_worker(**settings)
    wait_for(lambda: processes.query(status, (reference,))[0][0] == "sent", what="the message to be sent")
    time.sleep(2)  # time enough for a second send, were there to be one

    (accepted,) = notify.sent_with_reference(reference)
    assert processes.query(status, (reference,)) == [("sent", 2, accepted.id)]


def test_a_message_whose_worker_was_killed_before_notify_had_it_is_sent_once(processes, notify):
    settings = {**notify.settings, "NOTIFICATION_LEASE_SECONDS": 6, "NOTIFY_TIMEOUT_SECONDS": 5}
    web = processes.start_web(**settings)
    register_id = processes.one("SELECT id FROM registers_register ORDER BY id LIMIT 1")
    reference = receipt_of(processes, send_referral(web.url, register_id, unique_address()))
    # The worker claimed the message and died before it reached Notify.
    processes.query(
        "UPDATE notifications_notification SET status = 'sending', attempts = 1, "
        "send_after = now() + interval '6 seconds' WHERE id = %s",
        (reference,),
    )

    processes.start_worker(**settings)
    wait_for(lambda: notify.sent_with_reference(reference), what="the message to be sent")
    time.sleep(2)

    assert len(notify.sent_with_reference(reference)) == 1
