// Pieces of the project document as JSON values, for messages that carry one part of a project (the
// edit messages of model/ProjectEdit.h). The same readers and writers as whole documents use, so a part
// reads exactly as it would inside a file; readers report problems with their JSON path.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/Project.h"
#include "model/ProjectJson.h"

namespace mixdown {

nlohmann::json writeTrackJson(const Track& track);
nlohmann::json writeClipJson(const Clip& clip, TrackKind kind);
nlohmann::json writeMasterJson(const MasterState& master);
nlohmann::json writeStripJson(const StripState& strip);

// Each reads into `out` (which keeps its defaults where the JSON is silent) and appends problems.
void readTrackJson(const nlohmann::json& j, const std::string& path, Track& out, std::vector<ProjectIssue>& issues);
void readClipJson(const nlohmann::json& j, const std::string& path, Clip& out, std::vector<ProjectIssue>& issues);
void readMasterJson(const nlohmann::json& j, const std::string& path, MasterState& out, std::vector<ProjectIssue>& issues);
void readStripJson(const nlohmann::json& j, const std::string& path, StripState& out, std::vector<ProjectIssue>& issues);
void readDeviceJson(const nlohmann::json& j, const std::string& path, DeviceState& out, std::vector<ProjectIssue>& issues);

}  // namespace mixdown
