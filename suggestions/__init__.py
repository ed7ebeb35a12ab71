"""吐槽我们 ("roast us"): youths' complaints and suggestions about their committee's portal
and work, in plain sight on every portal; each is answered by the committee's staff, a
suggestion taken up is marked adopted with what changed, and every week a notice (每周公告)
lists what was adopted and tells each suggester. Suggestions are casework cases: due on the
committee's calendar and supervised from above when late."""
