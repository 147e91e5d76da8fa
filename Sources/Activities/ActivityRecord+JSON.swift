import ActivitiesContracts
import Foundation
import Gateway
import Vocabulary

/// The activity's JSON written by hand: `GET /api/v1/activities/{id}` and the lists are the API's most served
/// answers. Byte for byte what the gateway's `JSONEncoder` (sorted keys, `.iso8601` dates) makes of the
/// synthesized `Encodable` form, `nil` fields left out; `ActivityJSONTests` compares the two. Keys are in
/// sorted order, as everywhere in the API (before, `JSONEncoder` gave them in an order that changed from one
/// response to the next).
extension ActivityRecord: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        if let budget {
            writer.key("budget")
            writer.beginObject()
            writer.key("currency")
            writer.string(budget.currency.rawValue)
            writer.key("planned")
            writer.amount(budget.planned)
            writer.key("spent")
            writer.amount(budget.spent)
            writer.endObject()
        }
        writer.key("createdAt")
        writer.date(createdAt)
        writer.key("dacSectors")
        writer.strings(dacSectors)
        writer.key("description")
        writer.string(description)
        writer.key("direction")
        writer.string(direction.rawValue)
        if let endsOn {
            writer.key("endsOn")
            writer.date(endsOn)
        }
        if let fundingSource {
            writer.key("fundingSource")
            writer.string(fundingSource)
        }
        writer.key("id")
        writer.uuid(id)
        writer.key("kind")
        writer.string(kind.rawValue)
        if let participants {
            writer.key("participants")
            writer.int(participants)
        }
        writer.key("partnershipId")
        writer.uuid(partnershipId)
        writer.key("results")
        writer.string(results)
        writer.key("sdgGoals")
        writer.ints(sdgGoals)
        writer.key("sdgTargets")
        writer.strings(sdgTargets)
        if let startsOn {
            writer.key("startsOn")
            writer.date(startsOn)
        }
        writer.key("status")
        writer.string(status.rawValue)
        writer.key("themes")
        writer.strings(themes)
        writer.key("title")
        writer.string(title)
        writer.key("updatedAt")
        writer.date(updatedAt)
        writer.key("version")
        writer.int(version)
        writer.endObject()
    }
}

extension ActivityPage: JSONWritable {
    func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("items")
        writer.reserveCapacity(items.count * 768)
        writer.beginArray()
        for item in items { item.writeJSON(to: &writer) }
        writer.endArray()
        if let nextCursor {
            writer.key("nextCursor")
            writer.string(nextCursor)
        }
        writer.endObject()
    }
}
