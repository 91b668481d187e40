"""Recipients that no grammatical slot names: the threatened act's target, whom a purpose clause helps, the
public under a curfew. Sentences written for these tests."""

from __future__ import annotations


def _dyads(coder, text: str, date: str = "2025-04-10"):
    return {(r.event, tuple(e.country for e in r.actor), tuple((e.country, e.sector) for e in r.recipient))
            for r in coder.code(text, date=date)}


def test_threat_recipient_is_the_target_of_the_threatened_act(coder):
    dyads = _dyads(coder, "The government of Nicaragua threatened on Tuesday to strip the citizenship of "
                          "Catholic bishops who criticise the president.")
    assert any(event == "THREATEN" and actor == ("NIC",) and recipient and recipient[0][1] == "REL"
               for event, actor, recipient in dyads), dyads


def test_purpose_clause_names_who_a_loan_helps(coder):
    dyads = _dyads(coder, "The World Bank approved a $450 million loan on Monday to help Nepal rebuild roads "
                          "damaged by the monsoon floods.")
    assert ("AID", ("IGO",), (("NPL", "GOV"),)) in dyads, dyads


def test_loan_arrangement_for_a_country_is_aid(coder):
    dyads = _dyads(coder, "The International Monetary Fund approved a $2 billion arrangement for Sri Lanka "
                          "on Tuesday.")
    assert ("AID", ("IGO",), (("LKA", "GOV"),)) in dyads, dyads


def test_curfew_without_a_named_target_falls_on_the_public(coder):
    records = coder.code("Police in Kenya imposed a dusk-to-dawn curfew in two counties on Sunday after "
                         "clashes between herders.", date="2025-04-10")
    curfews = [r for r in records if r.event == "COERCE" and r.mode == "curfew"]
    assert curfews, [r.event for r in records]
    assert [(e.country, e.sector) for e in curfews[0].recipient] == [("KEN", "CVL")]
    assert "implicit target" in curfews[0].reasons["recipient"]


def test_arrest_of_unnamed_people_gets_no_invented_target(coder):
    records = coder.code("Police in Kenya arrested a man on Sunday.", date="2025-04-10")
    assert all(not r.recipient or r.recipient[0].sector != "CVL" or "implicit" not in r.reasons["recipient"]
               for r in records)


def test_three_coordinated_parties_give_every_pair_once(coder):
    records = coder.code("Egypt, Ethiopia and Sudan resumed negotiations on the dam in Khartoum on Sunday.",
                         date="2025-04-10")
    pairs = {frozenset((r.actor[0].country, r.recipient[0].country)) for r in records
             if r.event == "CONSULT" and r.recipient}
    assert pairs == {frozenset(p) for p in [("EGY", "ETH"), ("EGY", "SDN"), ("ETH", "SDN")]}, pairs
    assert all("symmetric" in r.reasons for r in records if r.event == "CONSULT")


def test_unknown_target_of_repression_is_a_civilian(coder):
    records = coder.code("Zambia deported the Chinese manager of a copper plant on Monday.", date="2025-03-04")
    deport = [r for r in records if r.event == "COERCE"]
    assert deport and [(e.country, e.sector) for e in deport[0].recipient] == [("CHN", "CVL")]
    assert "taken for a civilian" in deport[0].reasons["recipient"]


def test_unknown_object_of_praise_stays_the_state(coder):
    records = coder.code("Kenya praised the Chinese proposal on Monday.", date="2025-03-04")
    assert [(e.country, e.sector) for r in records if r.event == "SUPPORT" for e in r.recipient] == [("CHN", "GOV")]


def test_deployment_toward_a_country_faces_it(coder):
    records = coder.code("China sent 21 military aircraft and nine warships toward Taiwan on Sunday.",
                         date="2025-03-04")
    mobilize = [r for r in records if r.event == "MOBILIZE"]
    assert mobilize and [e.country for e in mobilize[0].recipient] == ["TWN"]
    assert "faces" in mobilize[0].reasons["recipient"]


def test_diplomats_it_accused_is_an_accusation_now(coder):
    dyads = _dyads(coder, "Estonia on Monday expelled two Russian diplomats it accused of spying on NATO troops.")
    assert any(event == "ACCUSE" and actor == ("EST",) and recipient and recipient[0][0] == "RUS"
               for event, actor, recipient in dyads), dyads


def test_detainees_who_were_arrested_earlier_stay_background(coder):
    dyads = _dyads(coder, "The court freed activists who had been arrested by police during protests in 2019.")
    assert not any(event == "COERCE" for event, _, _ in dyads), dyads


def test_every_subject_of_the_condition_is_threatened(coder):
    dyads = _dyads(coder, "North Korea warned on Sunday it would respond with force if the United States and "
                          "South Korea go ahead with their drills.")
    recipients = {recipient[0][0] for event, _, recipient in dyads if event == "THREATEN" and recipient}
    assert recipients == {"USA", "KOR"}, dyads


def test_his_country_in_reported_speech_is_the_speakers_state(coder):
    dyads = _dyads(coder, "Hungary's prime minister said on Monday that his country would block Ukraine's bid "
                          "to join the EU unless Kyiv restored minority language rights.")
    assert any(event == "THREATEN" and actor == ("HUN",) and recipient and recipient[0][0] == "UKR"
               for event, actor, recipient in dyads), dyads


def test_riots_breaking_out_are_the_places_civilians_protesting(coder):
    records = coder.code("DAKAR (Reuters) - Riots broke out in Dakar on Thursday after the opposition leader "
                         "was jailed.", date="2023-06-02")
    riots = [r for r in records if r.event == "PROTEST"]
    assert riots and (riots[0].actor[0].country, riots[0].actor[0].sector) == ("SEN", "CVL")
    assert riots[0].mode == "riot"
    assert "implicit" in riots[0].reasons["actor"]


def test_place_named_as_cities_of_a_country(coder):
    records = coder.code("Protests erupted in several cities of Iran on Friday.", date="2023-06-02")
    assert records and records[0].location is not None and records[0].location.country == "IRN"


def test_the_country_aided_is_not_the_donor(coder):
    dyads = _dyads(coder, "Mauritania and Spain held talks on migration. Madrid has also promised 210 million "
                          "euros in aid to the West African country.")
    assert ("AGREE", ("ESP",), (("MRT", "GOV"),)) in dyads, dyads


def test_the_island_is_the_island_state_just_named(coder):
    dyads = _dyads(coder, "Narendra Modi visited Sri Lanka on Friday. He promised a $318 million credit line for "
                          "the island's railways.")
    assert any(event == "AGREE" and recipient and recipient[0][0] == "LKA" for event, _, recipient in dyads), dyads


def test_bare_congress_is_the_article_countrys_legislature(coder):
    records = coder.code("LIMA (AP) - Peru's Congress on Thursday removed the president and police detained "
                         "him hours later.", date="2022-12-09")
    actors = {(e.country, e.sector) for r in records for e in r.actor}
    assert ("USA", "LEG") not in actors


def test_a_dateline_city_never_named_again_is_a_venue(coder):
    text = ("GENEVA (Reuters) - Sudan's army and the Rapid Support Forces resumed talks on Monday. Sudan has been at "
            "war since April. Police arrested six protesters in Sudan's capital, Sudanese officials said.")
    records = coder.code(text, date="2023-06-13")
    arrests = [r for r in records if r.event == "COERCE"]
    assert arrests and arrests[0].actor[0].country == "SDN", [(r.event, r.reasons["actor"]) for r in records]


def test_offer_to_reopen_talks_with_a_group_names_the_group(coder):
    records = coder.code("Health Secretary Victoria Atkins offered on Monday to reopen pay talks with junior "
                         "doctors in England.", date="2024-01-23")
    agree = [r for r in records if r.event == "AGREE"]
    assert agree and [(e.country, e.sector) for e in agree[0].recipient] == [("GBR", "MED")]


def test_police_crowd_control_falls_on_civilians(coder):
    records = coder.code("LIMA (AP) - Police fired tear gas on Thursday to keep the marchers away from Congress.",
                         date="2023-01-20")
    assault = [r for r in records if r.event == "ASSAULT"]
    assert assault and [(e.country, e.sector) for e in assault[0].recipient] == [("PER", "CVL")]


def test_a_demanded_resignation_is_not_a_resignation(coder):
    records = coder.code("Thousands marched through Lima on Thursday to demand the resignation of President "
                         "Dina Boluarte.", date="2023-01-20")
    assert not any(r.event == "RETREAT" for r in records), [(r.event, r.evidence.trigger) for r in records]


def test_a_bare_first_name_refers_to_the_articles_one_bearer(coder):
    dyads = _dyads(coder, "Indonesian Foreign Minister Retno Marsudi met her Malaysian counterpart Mohamad Hasan "
                          "in Putrajaya on Wednesday. Mohamad urged Indonesia to enforce its ban on burning.")
    assert any(event == "REQUEST" and actor == ("MYS",) and recipient and recipient[0][0] == "IDN"
               for event, actor, recipient in dyads), dyads


def test_a_relative_clause_with_a_named_subject_is_news(coder):
    dyads = _dyads(coder, "The minister thanked Jakarta for the two helicopters Indonesia lent to Malaysia last "
                          "month.")
    assert any(event == "AID" and actor == ("IDN",) for event, actor, _ in dyads), dyads


def test_the_speaker_is_a_party_to_the_talks_it_reports(coder):
    dyads = _dyads(coder, "CAIRO (Reuters) - Egypt said on Tuesday that negotiations with Ethiopia over the dam "
                          "had ended in failure.", date="2023-12-20")
    assert any(event == "CONSULT" and {actor[0], recipient[0][0]} == {"EGY", "ETH"}
               for event, actor, recipient in dyads if recipient), dyads


def test_suspending_a_partnership_is_a_sanction(coder):
    dyads = _dyads(coder, "The State Department said on Saturday it was suspending its strategic partnership with "
                          "Georgia.", date="2024-11-30")
    assert not any(event == "COOPERATE" for event, _, _ in dyads), dyads


def test_missiles_fired_into_the_sea_are_a_show_of_force(coder):
    records = coder.code("SEOUL (Yonhap) - North Korea fired two short-range ballistic missiles into the sea off "
                         "its east coast late on Wednesday.", date="2023-08-31")
    assert [r.event for r in records] == ["MOBILIZE"]
    assert records[0].mode == "weapons"


def test_a_warning_coordinated_with_a_speech_verb_is_the_speakers(coder):
    dyads = _dyads(coder, "North Korea's military said the drills were a rehearsal for invasion and warned "
                          "Washington and Seoul that it would take overwhelming counteraction if they kept up "
                          "their manoeuvres.", date="2023-08-31")
    threatened = {recipient[0][0] for event, actor, recipient in dyads if event == "THREATEN" and recipient}
    assert threatened == {"USA", "KOR"}, dyads


def test_a_named_person_dealing_with_a_government_is_taken_for_an_official(coder):
    records = coder.code("NAIROBI (Reuters) - Kenyan President William Ruto on Tuesday congratulated Senegal's "
                         "Bassirou Diomaye Faye on his election win.", date="2024-03-26")
    support = [r for r in records if r.event == "SUPPORT"]
    assert support and [(e.country, e.sector) for e in support[0].recipient] == [("SEN", "GOV")]
    assert "taken for an official" in support[0].reasons["recipient"]


def test_aid_trucks_into_a_region_go_to_the_articles_country(coder):
    records = coder.code("DAMASCUS (AFP) - Saudi Arabia sent its first aid trucks into the rebel-held northwest "
                         "on Thursday, the Saudi aid agency said.", date="2023-02-10")
    aid = [r for r in records if r.event == "AID"]
    assert aid and aid[0].actor[0].country == "SAU"
    assert [e.country for e in aid[0].recipient] == ["SYR"], aid[0].reasons
